/* sitegen default theme: small enhancements only. Every page works without this file. */
(function () {
  "use strict";
  var root = document.documentElement;
  root.classList.add("js");

  // "In bài": the button is hidden in the HTML and shown only when it can work.
  var buttons = document.querySelectorAll("[data-print]");
  if (typeof window.print === "function") {
    Array.prototype.forEach.call(buttons, function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { window.print(); });
    });
  }

  // Lazy pictures must be loaded before the page is printed.
  window.addEventListener("beforeprint", function () {
    Array.prototype.forEach.call(document.querySelectorAll("img[loading=lazy]"), function (img) {
      img.loading = "eager";
    });
  });

  // On phones the main menu folds behind a button.
  var toggle = document.querySelector(".nav-toggle");
  var list = toggle && document.getElementById(toggle.getAttribute("aria-controls"));
  if (toggle && list) {
    toggle.hidden = false;
    toggle.addEventListener("click", function () {
      var open = toggle.getAttribute("aria-expanded") !== "true";
      toggle.setAttribute("aria-expanded", String(open));
      list.classList.toggle("open", open);
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && toggle.getAttribute("aria-expanded") === "true") {
        toggle.setAttribute("aria-expanded", "false");
        list.classList.remove("open");
        toggle.focus();
      }
    });
  }
})();

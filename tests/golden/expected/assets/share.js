/* "Sao chép liên kết" of the share block (_share.html). Without this script the button
   stays hidden and the address stays in its field, ready to be selected and copied. */
(function () {
  "use strict";
  var COPIED = "Đã sao chép liên kết.";
  var FAILED = "Chưa sao chép được: hãy chọn liên kết trong ô rồi sao chép (Ctrl+C).";
  Array.prototype.forEach.call(document.querySelectorAll("[data-copy-link]"), function (button) {
    var field = document.getElementById(button.getAttribute("data-copy-link"));
    var status = button.parentNode.querySelector(".share-status");
    if (!field) { return; }
    button.hidden = false;
    function say(text) { if (status) { status.textContent = text; } }
    function fallback() {
      field.focus();
      field.select();
      var ok = false;
      try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
      say(ok ? COPIED : FAILED);
    }
    button.addEventListener("click", function () {
      say("");
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(field.value).then(function () { say(COPIED); }, fallback);
      } else {
        fallback();
      }
    });
  });
})();

/* The search page (tim-kiem/), the half that draws: no server, no third party.

   The engine (folding, the index files, ranking, marking) is templates/_search_engine.js,
   written into the page's head, which for the query in the address (?q=) has already
   asked. Once the page is parsed this script wires up the form, draws the answers with what
   matched in <mark>, and keeps the query in the address (?q=), so a search can be
   shared. Without JavaScript the form still submits ?q= and the page says why nothing shows. */
(function () {
  "use strict";

  var search = window.sitegenSearch;
  if (!search || !search.engine) { return; }
  var config = search.config, PAGE = config.page;
  var form, input, status, box, list, more;
  var current = 0;            /* the latest search; older answers are dropped */
  var shown = null;           /* {query, asked, ids, done} */

  function say(text) { status.textContent = text; }

  /* 12345 -> "12.345", as Vietnamese write it (Intl's first use costs a frame on a slow phone). */
  function number(n) { return String(n).replace(/\B(?=(\d{3})+$)/g, "."); }

  /* Append the engine's pieces [[text, marked], ...] to `parent`. */
  function append(parent, pieces) {
    pieces.forEach(function (piece) {
      if (piece[1]) {
        var mark = document.createElement("mark");
        mark.textContent = piece[0];
        parent.appendChild(mark);
      } else {
        parent.appendChild(document.createTextNode(piece[0]));
      }
    });
  }

  function shortDate(iso) {
    var p = iso.split("-");
    return p.length === 3 ? p[2] + "/" + p[1] + "/" + p[0] : "";
  }

  function item(row) {
    var li = document.createElement("li");
    li.className = "search-hit";
    var h = document.createElement("h2");
    h.className = "search-hit-title";
    var a = document.createElement("a");
    a.href = config.root + row.link;
    append(a, row.title);
    h.appendChild(a);
    li.appendChild(h);
    var meta = document.createElement("p");
    meta.className = "meta";
    if (row.date) {
      var time = document.createElement("time");
      time.dateTime = row.date;
      time.textContent = shortDate(row.date);
      meta.appendChild(time);
    }
    var where = row.section >= 0 ? config.sections[row.section] : "Trang";
    meta.appendChild(document.createTextNode((row.date ? " · " : "") + where));
    li.appendChild(meta);
    if (row.summary.length) {
      var p = document.createElement("p");
      p.className = "search-snippet";
      append(p, row.summary);
      li.appendChild(p);
    }
    return li;
  }

  /* Append rows to the list. */
  function show(rows) {
    var fragment = document.createDocumentFragment();
    rows.forEach(function (row) { fragment.appendChild(item(row)); });
    list.appendChild(fragment);
    shown.done += rows.length;
    more.hidden = shown.done >= shown.ids.length;
  }

  function failed() {
    box.hidden = true;
    say("Không tải được dữ liệu tìm kiếm. Nếu bạn mở trang từ tệp trên máy, hãy xem trang " +
        "qua máy chủ web; nếu không, hãy tải lại trang.");
  }

  /* The engine's answer to search `id` for `query`. */
  function answer(id, query, found) {
    if (id !== current) { return; }
    list.textContent = "";
    if (!found.words.length) {
      box.hidden = true;
      say("Hãy gõ ít nhất một chữ hoặc một số.");
      return;
    }
    shown = { query: query, asked: found.asked, ids: found.ids, done: 0 };
    if (!found.count) {
      box.hidden = true;
      say("Không tìm thấy bài viết nào có " + (found.words.length > 1 ? "đủ các từ " : "từ ") +
          "“" + query + "”. Hãy thử từ khác hoặc ít từ hơn.");
      box.setAttribute("data-for", query);
      return;
    }
    show(found.rows);
    box.hidden = false;
    say("Tìm thấy " + number(found.count) + " bài viết cho “" + query + "”" +
        (found.count <= PAGE ? "." : found.asked.typed.size
          ? ", xếp bài đúng dấu như bạn gõ lên trước, rồi bài có từ khóa trong tiêu đề."
          : ", xếp bài có từ khóa trong tiêu đề lên trước."));
    box.setAttribute("data-for", query);
    if (window.performance && performance.mark) { performance.mark("sitegen-search-results"); }
  }

  function keepInAddress(query) {
    var url = new URL(window.location.href);
    if (query) { url.searchParams.set("q", query); } else { url.searchParams.delete("q"); }
    if (url.href !== window.location.href) { window.history.replaceState(null, "", url.href); }
  }

  /* Search for `query`; `asked`, the engine's answer when it was asked already. */
  function run(query, asked) {
    var id = ++current;
    query = query.trim();
    keepInAddress(query);
    if (!query) {
      box.hidden = true;
      list.textContent = "";
      say("");
      return;
    }
    say("Đang tìm…");
    (asked || search.engine.find(query, PAGE)).then(function (found) {
      answer(id, query, found);
    }, function () {
      if (id === current) { failed(); }
    });
  }

  function wire() {
    form = document.querySelector("form[data-search]");
    if (!form) { return; }
    input = form.querySelector("input[name=q]");
    status = document.getElementById("trang-thai-tim-kiem");
    box = document.getElementById("ket-qua");
    list = box.querySelector(".search-list");
    more = box.querySelector(".search-more");
    var timer = 0;
    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(function () { run(input.value); }, 200);
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      window.clearTimeout(timer);
      run(input.value);
    });
    more.addEventListener("click", function () {
      var id = current, first = list.children.length;
      search.engine.rows(shown.ids.slice(shown.done, shown.done + PAGE), shown.asked)
        .then(function (rows) {
          if (id !== current) { return; }
          show(rows);
          var link = list.children[first] && list.children[first].querySelector("a");
          if (link) { link.focus(); }
        }, function () {
          if (id === current) { failed(); }
        });
    });
    if (search.query) {
      input.value = search.query;
      run(search.query, search.first);
    }
  }

  /* "interactive": the page is parsed (before the deferred scripts and the stylesheet). */
  if (document.readyState === "loading") {
    document.addEventListener("readystatechange", function once() {
      document.removeEventListener("readystatechange", once);
      wire();
    });
  } else {
    wire();
  }
})();

/* Search in the browser, from the static index that sitegen/search.py writes to
   tim-kiem/index/ (see that module for the file formats). No server, no third party.

   - fold() is sitegen.vn.text.fold: NFC, case folded, đ → d, NFD, no combining marks,
     NFC; so "thi dua" finds "thi đua", "dinh" finds "Đinh", "hoà" finds "hòa".
   - A word's postings are in the shard named by the longest prefix of the word that
     names a shard; only the shards of the query's words are fetched, then the result
     table files of the results shown.
   - Every word must be found; the order is sitegen.search.search's: the query's words
     side by side in the title, all of them in the title, side by side anywhere, then
     newer articles first. The query stays in the address (?q=), so a search can be shared.
   Without JavaScript the form still submits ?q= and the page says why nothing shows. */
(function () {
  "use strict";

  var WORD = /[\p{L}\p{N}]+/gu;            /* the search terms of a folded text */
  var RUN = /[\p{L}\p{N}\p{M}]+/gu;         /* the words of a shown text, marks included */
  var SHARD_CHAR = /^[a-z0-9]$/;
  var PAGE = 10;                            /* results shown at a time */

  /* Python's casefold() goes beyond toLowerCase() for a few letters: ß, ligatures, final
     sigma, iota subscript. (Other scripts' rare differences, e.g. Cherokee, are left.) */
  var FOLD_MORE = { "ß": "ss", "ς": "σ", "ŉ": "ʼn", "ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi",
    "ﬄ": "ffl", "ﬅ": "st", "ﬆ": "st", "և": "եւ", "ﬓ": "մն", "ﬔ": "մե", "ﬕ": "մի", "ﬖ": "վն",
    "ﬗ": "մխ", "\u0345": "ι" };
  var FOLD_MORE_RE = /[ßςŉﬀ-ﬆևﬓ-ﬗ\u0345]/g;

  function fold(text) {
    return String(text).normalize("NFC").toLowerCase()
      .normalize("NFD").replace(FOLD_MORE_RE, function (c) { return FOLD_MORE[c]; })
      .normalize("NFC").replace(/đ/g, "d")
      .normalize("NFD").replace(/\p{Mn}/gu, "").normalize("NFC");
  }

  function terms(text) {
    return fold(text).match(WORD) || [];
  }

  window.sitegenSearch = { fold: fold, terms: terms };

  var form = document.querySelector("form[data-search]");
  var configNode = document.getElementById("cau-hinh-tim-kiem");
  if (!form || !configNode) { return; }
  var config = JSON.parse(configNode.textContent);
  var input = form.querySelector("input[name=q]");
  var status = document.getElementById("trang-thai-tim-kiem");
  var box = document.getElementById("ket-qua");
  var list = box.querySelector(".search-list");
  var more = box.querySelector(".search-more");
  var shards = new Set(config.shards);
  var cache = new Map();
  var current = 0;                          /* the latest search; older ones are dropped */
  var shown = null;                         /* {query, ids, words, done} */

  function load(name) {
    if (!cache.has(name)) {
      var url = config.index + name + ".json?v=" + config.version;
      cache.set(name, fetch(url).then(function (response) {
        if (!response.ok) { throw new Error(url + ": " + response.status); }
        return response.json();
      }).catch(function (error) { cache.delete(name); throw error; }));
    }
    return cache.get(name);
  }

  function shardKey(term, depth) {
    return Array.from(term).slice(0, depth).map(function (c) {
      return SHARD_CHAR.test(c) ? c : "_";
    }).join("");
  }

  function shardOf(term) {
    for (var depth = Math.min(Array.from(term).length, config.depth); depth >= 0; depth--) {
      var key = shardKey(term, depth);
      if (shards.has(key)) { return key ? "terms-" + key : "terms"; }
    }
    return null;
  }

  /* A set of document numbers as a bitmap (one bit a document): the index writes a
     dense set as a base64 bitmap already, a sparse one as a list of gaps. */
  function bitmap(data) {
    var bits = new Uint8Array((config.count + 7) >> 3);
    if (typeof data === "string") {
      var bytes = atob(data);
      for (var i = 0; i < bytes.length && i < bits.length; i++) { bits[i] = bytes.charCodeAt(i); }
    } else if (data) {
      for (var j = 0, n = 0; j < data.length; j++) { n += data[j]; bits[n >> 3] |= 1 << (n & 7); }
    }
    return bits;
  }

  function has(bits, n) { return (bits[n >> 3] >> (n & 7)) & 1; }

  function unique(list) { return Array.from(new Set(list)); }

  /* "thi dua nam" -> ["thi dua", "dua nam"]: neighbouring words, indexed as pairs too. */
  function pairs(sequence) {
    var out = [];
    for (var i = 1; i < sequence.length; i++) { out.push(sequence[i - 1] + " " + sequence[i]); }
    return out;
  }

  /* Ranked document numbers, as sitegen.search.search: every word present; then more
     pairs in the title, every word in the title, more pairs anywhere, more words in the
     title, newer. The order is one number per document, then a bucket sort: documents
     are visited newest first, so each bucket is already in order. */
  function rank(words, wordEntries, pairEntries) {
    if (wordEntries.some(function (entry) { return !entry; })) { return []; }
    var found = bitmap(wordEntries[0][0]);
    var titles = [], pairsAny = [], pairsTitle = [], i, b;
    wordEntries.forEach(function (entry, w) {
      if (w > 0) {
        var bits = bitmap(entry[0]);
        for (i = 0; i < found.length; i++) { found[i] &= bits[i]; }
      }
      titles.push(bitmap(entry[1]));
    });
    pairEntries.forEach(function (entry) {
      if (entry) { pairsAny.push(bitmap(entry[0])); pairsTitle.push(bitmap(entry[1])); }
    });
    var all = words.length, p1 = pairEntries.length + 1, w1 = all + 1;
    var buckets = [];
    for (i = 0; i < found.length; i++) {
      if (!found[i]) { continue; }
      for (b = 0; b < 8; b++) {
        if (!((found[i] >> b) & 1)) { continue; }
        var d = (i << 3) + b, inTitle = 0, pairAny = 0, pairTitle = 0, k;
        for (k = 0; k < titles.length; k++) { inTitle += has(titles[k], d); }
        for (k = 0; k < pairsAny.length; k++) {
          pairAny += has(pairsAny[k], d);
          pairTitle += has(pairsTitle[k], d);
        }
        var score = ((pairTitle * 2 + (inTitle === all ? 1 : 0)) * p1 + pairAny) * w1 + inTitle;
        (buckets[score] || (buckets[score] = [])).push(d);
      }
    }
    var ranked = [];
    for (b = buckets.length - 1; b >= 0; b--) {
      if (buckets[b]) { ranked = ranked.concat(buckets[b]); }
    }
    return ranked;
  }

  function say(text) { status.textContent = text; }

  function number(n) { return n.toLocaleString("vi-VN"); }

  /* Append `text` to `parent`, each word whose folded form is searched in a <mark>. */
  function marked(parent, text, wanted) {
    var at = 0;
    var open = null;
    var match;
    RUN.lastIndex = 0;
    while ((match = RUN.exec(text)) !== null) {
      var hit = terms(match[0]).some(function (t) { return wanted.has(t); });
      if (!hit) { continue; }
      var between = text.slice(at, match.index);
      if (open && /^\s+$/.test(between)) {
        open.appendChild(document.createTextNode(between + match[0]));   /* "thi đua": one mark */
      } else {
        if (between) { parent.appendChild(document.createTextNode(between)); }
        open = document.createElement("mark");
        open.textContent = match[0];
        parent.appendChild(open);
      }
      at = match.index + match[0].length;
    }
    if (at < text.length) { parent.appendChild(document.createTextNode(text.slice(at))); }
  }

  function shortDate(iso) {
    var p = iso.split("-");
    return p.length === 3 ? p[2] + "/" + p[1] + "/" + p[0] : "";
  }

  function item(row, wanted) {
    var title = row[0], link = row[1], date = row[2], section = row[3], summary = row[4];
    var li = document.createElement("li");
    li.className = "search-hit";
    var h = document.createElement("h2");
    h.className = "search-hit-title";
    var a = document.createElement("a");
    a.href = config.root + link;
    marked(a, title, wanted);
    h.appendChild(a);
    li.appendChild(h);
    var meta = document.createElement("p");
    meta.className = "meta";
    if (date) {
      var time = document.createElement("time");
      time.dateTime = date;
      time.textContent = shortDate(date);
      meta.appendChild(time);
    }
    var where = section >= 0 ? config.sections[section] : "Trang";
    meta.appendChild(document.createTextNode((date ? " · " : "") + where));
    li.appendChild(meta);
    if (summary) {
      var p = document.createElement("p");
      p.className = "search-snippet";
      marked(p, summary, wanted);
      li.appendChild(p);
    }
    return li;
  }

  /* Show the next PAGE results of the shown search. */
  function showMore(id) {
    var s = shown;
    var batch = s.ids.slice(s.done, s.done + PAGE);
    var files = Array.from(new Set(batch.map(function (d) { return Math.floor(d / config.perFile); })));
    return Promise.all(files.map(function (f) { return load("docs-" + f); })).then(function (tables) {
      if (id !== current) { return; }
      var rows = new Map();
      files.forEach(function (f, i) { rows.set(f, tables[i]); });
      var fragment = document.createDocumentFragment();
      batch.forEach(function (d) {
        fragment.appendChild(item(rows.get(Math.floor(d / config.perFile))[d % config.perFile], s.wanted));
      });
      list.appendChild(fragment);
      s.done += batch.length;
      more.hidden = s.done >= s.ids.length;
    });
  }

  function keepInAddress(query) {
    var url = new URL(window.location.href);
    if (query) { url.searchParams.set("q", query); } else { url.searchParams.delete("q"); }
    if (url.href !== window.location.href) { window.history.replaceState(null, "", url.href); }
  }

  function run(query) {
    var id = ++current;
    query = query.trim();
    keepInAddress(query);
    var sequence = terms(query);
    var words = unique(sequence);
    var joined = unique(pairs(sequence));
    if (!words.length) {
      box.hidden = true;
      list.textContent = "";
      say(query ? "Hãy gõ ít nhất một chữ hoặc một số." : "");
      return Promise.resolve();
    }
    say("Đang tìm…");
    var keys = words.concat(joined);
    load("docs-0").catch(function () {});   /* the newest articles: most first pages need it */
    return Promise.all(keys.map(function (key) {
      var name = shardOf(key);
      return name ? load(name) : Promise.resolve({});
    })).then(function (loaded) {
      if (id !== current) { return; }
      var entries = keys.map(function (key, i) {
        return Object.prototype.hasOwnProperty.call(loaded[i], key) ? loaded[i][key] : null;
      });
      var ids = rank(words, entries.slice(0, words.length), entries.slice(words.length));
      shown = { query: query, ids: ids, done: 0, wanted: new Set(words) };
      list.textContent = "";
      if (!shown.ids.length) {
        box.hidden = true;
        say("Không tìm thấy bài viết nào có " + (words.length > 1 ? "đủ các từ " : "từ ") +
            "“" + query + "”. Hãy thử từ khác hoặc ít từ hơn.");
        box.setAttribute("data-for", query);
        return;
      }
      return showMore(id).then(function () {
        if (id !== current) { return; }
        box.hidden = false;
        say("Tìm thấy " + number(shown.ids.length) + " bài viết cho “" + query + "”" +
            (shown.ids.length > PAGE ? ", xếp bài có từ khóa trong tiêu đề lên trước." : "."));
        box.setAttribute("data-for", query);
        if (window.performance && performance.mark) { performance.mark("sitegen-search-results"); }
      });
    }).catch(function () {
      if (id !== current) { return; }
      box.hidden = true;
      say("Không tải được dữ liệu tìm kiếm. Nếu bạn mở trang từ tệp trên máy, hãy xem trang " +
          "qua máy chủ web; nếu không, hãy tải lại trang.");
    });
  }

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
    var first = list.children.length;
    showMore(current).then(function () {
      var next = list.children[first];
      var link = next && next.querySelector("a");
      if (link) { link.focus(); }
    });
  });

  var initial = new URLSearchParams(window.location.search).get("q") || "";
  if (initial) {
    input.value = initial;
    run(initial);
  }
})();

/* The search engine of the search page (tim-kiem/): folding, the index files, ranking,
   marking; no server, no third party. search.html writes it into the page's head, before
   the stylesheets, so that for the query in the address (?q=) it fetches the index shards,
   ranks and fetches the first results' rows while the page is still arriving; the page
   half, assets/search.js, draws the answers and wires up the form. (Measured at 10,000
   articles: this beats both a separate script and a Web Worker, which cost a round trip
   or a thread's start before the first fetch.) The index files are sitegen/search.py's
   (see that module for their formats).

   - fold() is sitegen.vn.text.fold: NFC, case folded, đ → d, NFD, no combining marks,
     NFC; so "thi dua" finds "thi đua", "dinh" finds "Đinh", "hoà" finds "hòa".
   - A word's postings (and a pair's: "thi dua") are in the shard named by the longest
     prefix of it that names a shard (sitegen.search.find_shard).
   - Every word must be found; the order is sitegen.search.search's: the query's words
     side by side in the title, all of them in the title, side by side anywhere, then
     newer articles first.

   window.sitegenSearch = {fold, terms, marks, engine, first}: engine.find(query, n) gives
   (a promise) {words, count, ids, rows: the first n}; engine.rows(ids, words) more rows;
   a row is {title, summary: [[text, marked], ...], link, date, section}; `first` is the
   answer for ?q=, asked at once. */
(function () {
  "use strict";

  var WORD = /[\p{L}\p{N}]+/gu;            /* the search terms of a folded text */
  var SHARD_CHAR = /^[a-z0-9]$/;

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

  function unique(list) { return Array.from(new Set(list)); }

  /* "thi dua nam" -> ["thi dua", "dua nam"]: neighbouring words, indexed as pairs too. */
  function pairs(sequence) {
    var out = [];
    for (var i = 1; i < sequence.length; i++) { out.push(sequence[i - 1] + " " + sequence[i]); }
    return out;
  }

  var RUN = /[\p{L}\p{N}\p{M}]+/gu;         /* the words of a shown text, marks included */

  /* `text` in pieces [[text, marked], ...]: a piece is marked when it is a run of words
     (spaces between kept in one piece: "thi đua") whose folded terms are `wanted`. */
  function marks(text, wanted) {
    var out = [], at = 0, open = null, match;
    RUN.lastIndex = 0;
    while ((match = RUN.exec(text)) !== null) {
      var hit = terms(match[0]).some(function (t) { return wanted.has(t); });
      if (!hit) { continue; }
      var between = text.slice(at, match.index);
      if (open && /^\s+$/.test(between)) {
        open[0] += between + match[0];
      } else {
        if (between) { out.push([between, false]); }
        open = [match[0], true];
        out.push(open);
      }
      at = match.index + match[0].length;
    }
    if (at < text.length) { out.push([text.slice(at), false]); }
    return out;
  }

  var search = window.sitegenSearch = { fold: fold, terms: terms, marks: marks };

  /* The engine over the index that `config` (the manifest) describes. */
  function engine(config) {
    var shards = new Set(config.shards);
    var files = new Map();                  /* index file name -> promise of its JSON */

    function load(name) {
      if (!files.has(name)) {
        var url = config.index + name + ".json?v=" + config.version;
        files.set(name, fetch(url).then(function (response) {
          if (!response.ok) { throw new Error(url + ": " + response.status); }
          return response.json();
        }).catch(function (error) { files.delete(name); throw error; }));
      }
      return files.get(name);
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

    /* The rows of documents `ids`, in order, the query's `words` marked (a promise). */
    function rows(ids, words) {
      var wanted = new Set(words);
      var numbers = unique(ids.map(function (d) { return Math.floor(d / config.perFile); }));
      return Promise.all(numbers.map(function (f) { return load("docs-" + f); })).then(function (tables) {
        var table = new Map();
        numbers.forEach(function (f, i) { table.set(f, tables[i]); });
        return ids.map(function (d) {
          var row = table.get(Math.floor(d / config.perFile))[d % config.perFile];
          return { title: marks(row[0], wanted), link: row[1], date: row[2], section: row[3],
                   summary: marks(row[4], wanted) };
        });
      });
    }

    /* A query's answer (a promise): its words, its ranked document numbers and the first
       `page` of them as rows. */
    function find(query, page) {
      var sequence = terms(query);
      var words = unique(sequence);
      var keys = words.concat(unique(pairs(sequence)));
      if (!words.length) { return Promise.resolve({ words: [], count: 0, ids: [], rows: [] }); }
      load("docs-0").catch(function () {});   /* the newest articles: most first pages need it */
      return Promise.all(keys.map(function (key) {
        var name = shardOf(key);
        return name ? load(name) : Promise.resolve({});
      })).then(function (loaded) {
        var entries = keys.map(function (key, i) {
          return Object.prototype.hasOwnProperty.call(loaded[i], key) ? loaded[i][key] : null;
        });
        var ids = rank(words, entries.slice(0, words.length), entries.slice(words.length));
        return rows(ids.slice(0, page), words).then(function (first) {
          return { words: words, count: ids.length, ids: ids, rows: first };
        });
      });
    }

    return { find: find, rows: rows };
  }

  var node = document.getElementById("cau-hinh-tim-kiem");
  if (!node) { return; }
  var config = search.config = JSON.parse(node.textContent);
  search.engine = engine(config);
  search.query = (new URLSearchParams(window.location.search).get("q") || "").trim();
  if (search.query) {
    if (window.performance && performance.mark) { performance.mark("sitegen-search-query"); }
    search.first = search.engine.find(search.query, config.page);
    search.first.catch(function () {});   /* search.js reports a failure */
  }
})();

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
   - Every word must be found; the order is sitegen.features.search.inverted.search's: more
     of the query's words with the accents typed first (their exact keys, exact(): "hoà"
     puts "Cộng hòa" before "Hoa Lư"), then the query's words side by side in the title,
     all of them in the title, side by side anywhere, then newer articles first.
   - A result marks only what matched (marks()): the query's words side by side with the
     accents typed, else side by side, else single words likewise.

   window.sitegenSearch = {fold, terms, exact, exactTerms, query, marks, engine, first}:
   engine.find(text, n) gives (a promise) {words, asked, count, ids, rows: the first n};
   engine.rows(ids, asked) more rows; a row is {title, summary: [[text, marked], ...], link,
   date, section}; `first` is the answer for ?q=, asked at once. */
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

  /* Python's str.casefold(), then NFC. */
  function caseFold(text) {
    return String(text).normalize("NFC").toLowerCase()
      .normalize("NFD").replace(FOLD_MORE_RE, function (c) { return FOLD_MORE[c]; })
      .normalize("NFC");
  }

  function fold(text) {
    return caseFold(text).replace(/đ/g, "d")
      .normalize("NFD").replace(/\p{Mn}/gu, "").normalize("NFC");
  }

  /* sitegen.vn.text.normalize_tones: in the rhymes oa, oe, uy after an onset (not qu) and
     at a syllable's end, the tone mark on the first vowel: "hoà" -> "hòa", "thuỷ" -> "thủy". */
  var TONE = /[\u0300\u0309\u0303\u0301\u0323]/g;
  var ONSETS = new Set(["", "b", "c", "ch", "d", "đ", "g", "gh", "gi", "h", "k", "kh", "l", "m",
    "n", "ng", "ngh", "nh", "p", "ph", "r", "s", "t", "th", "tr", "v", "x"]);

  function canonicalSyllable(syllable) {
    var decomposed = syllable.normalize("NFD"), tones = decomposed.match(TONE) || [];
    if (tones.length !== 1) { return syllable; }
    var bare = Array.from(decomposed.replace(TONE, "").normalize("NFC"));
    var lower = Array.from(bare.join("").toLowerCase());
    if (lower.length !== bare.length) { return syllable; }
    var low = lower.join(""), rhymes = ["oa", "oe", "uy"];
    for (var i = 0; i < rhymes.length; i++) {
      if (low.endsWith(rhymes[i]) && ONSETS.has(lower.slice(0, -2).join(""))) {
        var cut = bare.length - 2;
        return bare.slice(0, cut).join("") + (bare[cut] + tones[0]).normalize("NFC") +
          bare.slice(cut + 1).join("");
      }
    }
    return syllable;
  }

  /* sitegen.features.search.keys.exact: a word with its accents, one tone placement. */
  function exact(word) {
    return caseFold(String(word).normalize("NFC").replace(/\p{L}+/gu, canonicalSyllable));
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

  /* The words of `text`: {start, end, term (when it folds to one term), form (exact)}. */
  function words(text) {
    var out = [], match;
    RUN.lastIndex = 0;
    while ((match = RUN.exec(text)) !== null) {
      var found = terms(match[0]);
      out.push({ start: match.index, end: match.index + match[0].length,
                 term: found.length === 1 ? found[0] : null, form: exact(match[0]) });
    }
    return out;
  }

  /* [[term, exact form], ...] of the words of `text` that have an exact key (keys.exact_terms). */
  function exactTerms(text) {
    return words(text).filter(function (w) {
      return w.term !== null && w.form !== w.term && fold(w.form) === w.term;
    }).map(function (w) { return [w.term, w.form]; });
  }

  /* What a query marks: its terms in order, the form typed of each accented one, and (filled
     in by the ranking) the results with its words side by side, and with its accents. */
  function query(text) {
    var typed = new Map();
    exactTerms(text).forEach(function (pair) {
      if (!typed.has(pair[0])) { typed.set(pair[0], pair[1]); }
    });
    return { sequence: terms(text), typed: typed, phrase: new Set(), exactly: new Set() };
  }

  /* Which words of each list the query marks in one result: what made it match. In a result
     with the query's words side by side (`phrase`, from the index) only such runs, with the
     accents typed if any, else whatever the accents; in a result with every accented word as
     typed (`exactly`) only words so written; else single words, as typed if any, else
     whatever the accents. So "thi dua" marks "thi đua", never "Thị" in a name or "đưa"
     elsewhere; "hoà" marks "hòa" where the result has it, "Hoa" where it has only that. */
  function marked(lists, asked, phrase, exactly) {
    var seq = asked.sequence;
    function fits(w, i, exactly) {
      return w.term === seq[i] && (!exactly || w.form === (asked.typed.get(seq[i]) || seq[i]));
    }
    function pass(list, text, phrase, exactly) {
      var hit = new Set();
      list.forEach(function (w, j) {
        for (var i = 0; i < seq.length; i++) {
          if (!fits(w, i, exactly)) { continue; }
          if (!phrase) { hit.add(j); break; }
          var n = 1;
          while (j + n < list.length && i + n < seq.length &&
                 /^\s+$/.test(text.slice(list[j + n - 1].end, list[j + n].start)) &&
                 fits(list[j + n], i + n, exactly)) { n++; }
          if (n > 1) { for (var k = 0; k < n; k++) { hit.add(j + k); } }
        }
      });
      return hit;
    }
    var ways = phrase ? [[true, true], [true, false]]
      : exactly ? [[false, true]] : [[false, true], [false, false]];
    for (var v = 0; v < ways.length; v++) {
      var sets = lists.map(function (entry) { return pass(entry[0], entry[1], ways[v][0], ways[v][1]); });
      if (sets.some(function (set) { return set.size; })) { return sets; }
    }
    return lists.map(function () { return new Set(); });
  }

  /* `text` in pieces [[text, marked], ...], the words of `list` numbered in `hit` marked
     (neighbours with spaces between in one piece: "thi đua"). */
  function pieces(text, list, hit) {
    var out = [], at = 0, open = null;
    list.forEach(function (w, j) {
      if (!hit.has(j)) { return; }
      var between = text.slice(at, w.start);
      if (open && /^\s+$/.test(between)) {
        open[0] += between + text.slice(w.start, w.end);
      } else {
        if (between) { out.push([between, false]); }
        open = [text.slice(w.start, w.end), true];
        out.push(open);
      }
      at = w.end;
    });
    if (at < text.length) { out.push([text.slice(at), false]); }
    return out;
  }

  /* The texts of one result in pieces, marked as the query `asked` marks them together;
     `phrase`, `exactly`: whether the result has the query's words side by side, and every
     accented word as typed (see marked). */
  function marks(texts, asked, phrase, exactly) {
    var lists = texts.map(function (text) { return [words(text), text]; });
    var sets = marked(lists, asked, phrase, exactly);
    return texts.map(function (text, i) { return pieces(text, lists[i][0], sets[i]); });
  }

  var search = window.sitegenSearch = { fold: fold, terms: terms, exact: exact,
                                        exactTerms: exactTerms, query: query, marks: marks };

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
      if (/[^\x00-\x7f]/.test(term)) { term = fold(term); }   /* "đua" lives with "dua" */
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
    function rank(words, wordEntries, pairEntries, exactEntries, asked) {
      if (wordEntries.some(function (entry) { return !entry; })) { return []; }
      var accented = exactEntries.filter(Boolean).map(function (entry) { return bitmap(entry[0]); });
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
      var above = ((2 * pairEntries.length + 1) * p1 + pairEntries.length) * w1 + all + 1;
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
          var typed = 0;
          for (k = 0; k < accented.length; k++) { typed += has(accented[k], d); }
          if (pairAny) { asked.phrase.add(d); }
          if (exactEntries.length && typed === exactEntries.length) { asked.exactly.add(d); }
          var score = typed * above +
            ((pairTitle * 2 + (inTitle === all ? 1 : 0)) * p1 + pairAny) * w1 + inTitle;
          (buckets[score] || (buckets[score] = [])).push(d);
        }
      }
      var ranked = [];
      for (b = buckets.length - 1; b >= 0; b--) {
        if (buckets[b]) { ranked = ranked.concat(buckets[b]); }
      }
      return ranked;
    }

    /* The rows of documents `ids`, in order, marked as the query `asked` marks (a promise). */
    function rows(ids, asked) {
      var numbers = unique(ids.map(function (d) { return Math.floor(d / config.perFile); }));
      return Promise.all(numbers.map(function (f) { return load("docs-" + f); })).then(function (tables) {
        var table = new Map();
        numbers.forEach(function (f, i) { table.set(f, tables[i]); });
        return ids.map(function (d) {
          var row = table.get(Math.floor(d / config.perFile))[d % config.perFile];
          var shown = marks([row[0], row[4]], asked, asked.phrase.has(d), asked.exactly.has(d));
          return { title: shown[0], link: row[1], date: row[2], section: row[3],
                   summary: shown[1] };
        });
      });
    }

    /* A query's answer (a promise): its words, its ranked document numbers and the first
       `page` of them as rows. */
    function find(text, page) {
      var asked = query(text), sequence = asked.sequence;
      var words = unique(sequence), joined = unique(pairs(sequence));
      var typed = unique(Array.from(asked.typed.values()));
      var keys = words.concat(joined, typed);
      if (!words.length) { return Promise.resolve({ words: [], asked: asked, count: 0, ids: [], rows: [] }); }
      load("docs-0").catch(function () {});   /* the newest articles: most first pages need it */
      return Promise.all(keys.map(function (key) {
        var name = shardOf(key);
        return name ? load(name) : Promise.resolve({});
      })).then(function (loaded) {
        var entries = keys.map(function (key, i) {
          return Object.prototype.hasOwnProperty.call(loaded[i], key) ? loaded[i][key] : null;
        });
        var ids = rank(words, entries.slice(0, words.length),
                       entries.slice(words.length, words.length + joined.length),
                       entries.slice(words.length + joined.length), asked);
        return rows(ids.slice(0, page), asked).then(function (first) {
          return { words: words, asked: asked, count: ids.length, ids: ids, rows: first };
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

/*
 * 专栏站内搜索引擎：替代 Material 自带的 lunr 搜索工作线程，沿用它的消息格式和结果界面。
 *
 * 为什么不用 lunr：lunr 按词前缀匹配，查询又按索引词表贪心切分，长词中的短词（“安全监控”中的“监控”）、
 * 被 jieba 切成单字的词、不加空格的短语、问句和不带括号的文号都找不到或排不到前面。
 * 对比数字见 bench/search_bench.py 和编辑指南“站内搜索”一节。
 *
 * 做法（索引由 studycol/steps/search.py 整理，格式仍是 Material 的 search_index.json）：
 * 1. 正规化：逐字把全角字母数字转半角、大写转小写、繁体转简体（映射表由构建时按索引用字生成），
 *    并去掉括号、书名号、引号和空白——所以“矿安〔2024〕2号”“矿安[2024]2号”“矿安2024 2号”写法都一样。
 * 2. 查询切分：去掉“如何”“哪些”等疑问词，再按索引中的词（jieba 加站内词典切出的词）做最优切分；
 *    词表里没有、但在正文中连续出现的片段也可成词。
 * 3. 匹配：每个词在正文中按子串查找（不按词边界），所以词被 jieba 并进长词或切成单字都能找到。
 * 4. 排序：BM25 加标题加分，乘以“查询词覆盖率”的平方；查询中相邻的词在正文中也相邻时再加分。
 * 5. 落点：条目带句子锚点时，落到命中最多的那一句；摘要取命中处前后的文字并标出命中的词。
 *
 * 6. 分批：页面打开时 Material 的界面交来的 search_index.json 只是个引子（config，没有条目），READY 立即发出；
 *    读者第一次搜索时才读入主索引（search/part-000.js），用它回答这次查询，再分批读入案例页面的条目
 *    （search/part-001.js …），读完后合并重建、按最近的查询重新作答；合并后的条目顺序与不分批时相同，排序结果也相同。
 *
 * 页面语言由工作线程地址中的 ?lang= 给出：英文页面上，只有中文内容的页面改指向 en/ 下的同一页。
 * 在 file:// 打开的 U 盘版中，本脚本由 iframe-worker 垫片在隐藏的 iframe 里运行，写法因此只用
 * 全局的 addEventListener / postMessage；分批文件在那里用 <script> 元素读入（垫片的 importScripts
 * 是异步的，也不报告读入失败），在真正的 Web Worker 中用 importScripts。
 */
"use strict";
(function () {
  var SETUP = 0, READY = 1, QUERY = 2, RESULT = 3;

  // ---- 页面语言 -------------------------------------------------------------
  var src = "";
  try {
    src = (typeof document !== "undefined" && document.currentScript && document.currentScript.src) || String(self.location.href);
  } catch (e) { /* 忽略 */ }
  var langMatch = /[?&]lang=([A-Za-z-]+)/.exec(src);
  var LANG = langMatch ? langMatch[1] : "";

  // ---- 正规化 ---------------------------------------------------------------
  var DROP = new Set(Array.from("〔〕［］[]【】〖〗()（）《》〈〉<>「」『』“”‘’\"' \t\r\n\u00a0\u3000\u200b\ufeff"));
  var T2S = new Map();
  var HAN = /\p{Script=Han}/u;
  var ASCII_WORD = /^[a-z0-9]+$/;

  function normChar(ch) {
    var c = ch.codePointAt(0);
    if (c >= 0xff01 && c <= 0xff5e) ch = String.fromCodePoint(c - 0xfee0);
    else ch = T2S.get(ch) || ch;
    return ch.toLowerCase();
  }

  /* 正规化后的串；withMap 时同时返回每个字符在原串中的下标 */
  function normalize(s, withMap) {
    var out = [], map = withMap ? [] : null;
    for (var i = 0; i < s.length;) {
      var cp = s.codePointAt(i), ch = String.fromCodePoint(cp), w = ch.length;
      if (!DROP.has(ch)) {
        var n = normChar(ch);
        out.push(n);
        if (map) for (var k = 0; k < n.length; k++) map.push(i);
      }
      i += w;
    }
    return withMap ? [out.join(""), map] : out.join("");
  }

  function decodeEntities(s) {
    return s.replace(/&(amp|lt|gt|quot|#39|#x27|#(\d+)|#x([0-9a-f]+));/gi, function (m, name, dec, hex) {
      if (dec) return String.fromCodePoint(+dec);
      if (hex) return String.fromCodePoint(parseInt(hex, 16));
      return { amp: "&", lt: "<", gt: ">", quot: "\"", "#39": "'", "#x27": "'" }[name.toLowerCase()];
    });
  }

  /* 索引文字 → 显示用纯文本（与 studycol/search_index.py 的 plain_text 相同，句子锚点的偏移量据此计算） */
  function plainText(s) {
    return decodeEntities(String(s || "").replace(/<[^>]+>/g, " ")).replace(/\u200b/g, "").replace(/\s+/g, " ").trim();
  }

  function escapeHTML(s) {
    return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
  }

  // ---- 查询中的虚词 ---------------------------------------------------------
  var STOPWORDS = ["什么时候", "可不可以", "怎么样", "为什么", "有没有", "是不是", "能不能", "要不要", "需不需要",
    "如何", "怎么", "怎样", "什么", "哪些", "哪个", "哪里", "哪儿", "为何", "是否", "多少", "何时", "谁来", "请问"];
  var MAX_WORD = 16;    // 查询中一个词最多的字数（切分时不再往后试）
  var MAX_QUERY = 200;  // 粘贴整段文字时只取前 200 个字符
  var STOP_CHARS = new Set(Array.from("的了吗呢啊吧是和与及或在对把被给要有也都就之其谁何哪么几来去怎该应请向从由以于为等这那做"));

  // ---- 索引 -----------------------------------------------------------------
  var docs = [];        // {location, page, title, text, plain, titlePlain, anchors, boost, tags}
  var ALL = "";         // 全部条目正规化串（标题 \u0001 正文）的拼接，条目间以 \u0002 分隔；只存这一份
  var starts = null;    // 每条在 ALL 中的起点
  var textStart = null; // 每条正文在 ALL 中的起点
  var vocab = new Set();
  var articles = new Map(); // 页面 → 页面条目
  var avgLen = 1;
  var corpusCache = new Map();

  function chooseView(data) {
    var cfg = data.config || {};
    var languages = (cfg.studycol && cfg.studycol.languages) || {};
    var prefixes = Object.keys(languages);
    var mine = LANG ? LANG + "/" : "";
    var all = data.docs || [];
    var ofPrefix = function (loc) {
      for (var i = 0; i < prefixes.length; i++) if (loc.indexOf(prefixes[i]) === 0) return prefixes[i];
      return "";
    };
    if (!mine || !(mine in languages))
      return all.filter(function (d) { return ofPrefix(d.location) === ""; });
    // 英文页面：英文条目，加上中文条目——只有中文的页面（英文版是内容相同的副本）改指向 en/ 下的同一页，
    // 已有英文译文的页面仍指向中文原页（中文查询命中的是中文原文）
    var fallback = new Set(languages[mine]);
    var view = [];
    all.forEach(function (d) {
      var p = ofPrefix(d.location);
      if (p === mine) view.push(d);
      else if (p === "") {
        var page = d.location.split("#")[0];
        view.push(fallback.has(page) ? Object.assign({}, d, { location: mine + d.location, __raw: d }) : d);
      }
    });
    return view;
  }

  // ---- 分批读入 -------------------------------------------------------------
  // Material 的界面在页面打开时读入 search_index.json、经 SETUP 消息交来；本站的构建把它写成引子
  // （config.studycol.main 是主索引的地址，docs 为空，见 studycol/search_index.py 的 lazy_stub）。
  // 引子一到就报告就绪，什么也不下载。读者第一次搜索（查询非空）时：
  // 1. 读入主索引 search/part-000.js（第 0 批），读完再回答这次查询——不先发一个空结果；
  // 2. 再读入案例页面的各批 search/part-001.js …（见 split_parts），读完后合并重建，按最近一次查询重新作答
  //    （Material 的界面收到新的结果消息就重新显示）。
  // 不搜索的读者不下载这些文件。SETUP 直接交来完整索引（有条目、没有 main）时照旧立即建好。
  var stub = null;      // 引子 {config}；主索引读入后为 null
  var mainPart = null;  // 读入的第 0 批 {docs, studycol}
  var mainState = "none"; // none（SETUP 交来的就是主索引）/ idle（未开始）/ loading / complete
  var main = null;      // 主索引 {config, docs}
  var parts = [];       // config.studycol.parts：每批的 {url, docs, pages, bytes}
  var received = [];    // 已读入的各批内容 {docs, words, languages}
  var partsState = "none"; // none（无分批）/ idle（未开始）/ loading / complete
  var lastQuery = "";
  var normCache = new Map(); // 原始条目 → {location, doc, norm}：合并重建时不再重复正规化
  // 供测试读取（self.__studycolSearch）：state 为整体进度 none / idle / loading / complete，
  // main 为主索引的进度，parts / loaded / failed 为案例各批的批数、已读入和未能读入的批数
  var state = { state: "none", main: "none", parts: 0, loaded: 0, failed: 0 };
  try { self.__studycolSearch = state; } catch (e) { /* Node 中没有 self */ }

  function setup(data) {
    data = data || {};
    var sc = (data.config || {}).studycol || {};
    lastQuery = "";
    normCache = new Map();
    mainPart = null;
    state.loaded = 0; state.failed = 0;
    if (typeof sc.main === "string" && !(data.docs && data.docs.length)) {
      stub = { config: data.config };
      mainState = state.main = "idle";
      main = { config: data.config, docs: [] };
      parts = []; received = [];
      partsState = "idle";
      state.state = "idle"; state.parts = 0;
      docs = []; ALL = ""; starts = new Int32Array(0); textStart = new Int32Array(0);
      return;
    }
    stub = null;
    mainState = state.main = "none";
    adopt(data);
  }

  /* 主索引到手：记下案例各批的清单，建好索引 */
  function adopt(data) {
    main = data || {};
    var sc = (main.config || {}).studycol || {};
    parts = Array.isArray(sc.parts) ? sc.parts : [];
    received = new Array(parts.length);
    partsState = parts.length ? "idle" : "none";
    state.parts = parts.length;
    state.state = partsState === "none" ? (mainState === "none" ? "none" : "complete") : (mainState === "none" ? "idle" : "loading");
    build();
  }

  /* 引子加第 0 批 → 主索引（与 studycol/search_index.py 的 restore_main 相同） */
  function restoreMain(stubData, payload) {
    var cfg = stubData.config || {};
    var sc = Object.assign({}, cfg.studycol || {});
    delete sc.main;
    Object.assign(sc, payload.studycol || {});
    return { config: Object.assign({}, cfg, { studycol: sc }), docs: payload.docs || [] };
  }

  /* 分批的脚本调用它交来内容；0 为主索引，案例各批从 1 起 */
  function receivePart(number, payload) {
    if (!payload || !Array.isArray(payload.docs)) return;
    if (number === 0) { if (stub) mainPart = payload; }
    else if (number >= 1 && number <= parts.length) received[number - 1] = payload;
  }
  try { self.__studycolSearchPart = receivePart; } catch (e) { /* Node 中没有 self */ }

  /* 主索引加上已读入的各批：条目按 config.studycol.deferred 插回原来的位置，与不分批时顺序相同 */
  function merged() {
    var cfg = main.config || {};
    var sc = cfg.studycol || {};
    var languages = {}, words = (sc.words || []).slice();
    Object.keys(sc.languages || {}).forEach(function (k) { languages[k] = sc.languages[k].slice(); });
    var later = [];
    parts.forEach(function (meta, i) {
      var got = received[i];
      if (!got) { for (var k = 0; k < (meta.docs || 0); k++) later.push(null); return; }
      got.docs.forEach(function (d) { later.push(d); });
      (got.words || []).forEach(function (w) { words.push(w); });
      Object.keys(got.languages || {}).forEach(function (k) {
        languages[k] = (languages[k] || []).concat(got.languages[k]);
      });
    });
    var docsIn = main.docs || [], out = [], m = 0, c = 0;
    (Array.isArray(sc.deferred) ? sc.deferred : []).forEach(function (slot) {
      while (m < slot[0] && m < docsIn.length) out.push(docsIn[m++]);
      for (var k = 0; k < slot[1] && c < later.length; k++) out.push(later[c++]);
    });
    while (m < docsIn.length) out.push(docsIn[m++]);
    while (c < later.length) out.push(later[c++]);
    var studycol = Object.assign({}, sc, { languages: languages, words: words });
    return { config: Object.assign({}, cfg, { studycol: studycol }), docs: out.filter(Boolean) };
  }

  /* 读入若干分批脚本（地址相对于站点根），每个读完调用 each(url, ok)，全部读完调用 done()。
   * 真正的 Web Worker 中用 importScripts 同步读入并执行（later 时放到下一轮，先把当前查询的结果发出去）；
   * U 盘版里 iframe-worker 垫片在隐藏的 iframe 中运行本脚本（file:// 下不能 fetch），用 <script> 元素读入。 */
  function loadScripts(relUrls, later, each, done) {
    var root = src || "";
    var urls = relUrls.map(function (u) {
      // 分批文件的地址相对于站点根；本脚本在站点根下的 assets/javascripts/（见 studycol/steps/search.py 的 WORKER）
      try { return new URL("../../" + u, root).href; } catch (e) { return u; }
    });
    if (typeof document === "undefined" && typeof importScripts === "function") {
      var run = function () {
        urls.forEach(function (url) {
          try { importScripts(url); each(url, true); } catch (err) { each(url, false, err); }
        });
        done();
      };
      if (later) setTimeout(run, 0); else run();
    } else if (typeof document !== "undefined" && document.body && urls.length) {
      var pending = urls.length;
      urls.forEach(function (url) {
        var el = document.createElement("script");
        el.src = url;
        el.onload = el.onerror = function (ev) {
          each(url, ev.type !== "error");
          if (--pending === 0) done();
        };
        document.body.appendChild(el);
      });
    } else {
      done();
    }
  }

  /* 第一次搜索：读入主索引，回答最近一次查询，再读入案例各批 */
  function loadMain() {
    mainState = state.main = "loading";
    state.state = "loading";
    loadScripts([stub.config.studycol.main], false, function (url, ok, err) {
      if (!ok) console.warn("站内搜索：未能读入 " + url + "，暂时搜不到内容。", err || "");
    }, function () {
      if (!mainPart) {
        // 没读到：下一次查询再试；这次给出空结果，界面不至于一直等着
        mainState = state.main = "idle";
        state.state = "idle";
        state.failed++;
        postMessage({ type: RESULT, data: { items: [] } });
        return;
      }
      var data = restoreMain(stub, mainPart);
      stub = null; mainPart = null;
      mainState = state.main = "complete";
      adopt(data);
      if (lastQuery) postMessage({ type: RESULT, data: search(lastQuery) });  // 读入期间清空了查询：空结果已发过
      if (partsState === "idle") loadParts();
    });
  }

  function loadParts() {
    partsState = state.state = "loading";
    loadScripts(parts.map(function (p) { return p.url; }), true, function (url, ok, err) {
      if (ok) { state.loaded++; return; }
      state.failed++;
      console.warn("站内搜索：未能读入 " + url + "，案例页面的部分内容暂时搜不到。", err || "");
    }, function () {
      partsState = state.state = "complete";
      build();
      if (lastQuery) postMessage({ type: RESULT, data: search(lastQuery) });
    });
  }

  function build() {
    var data = merged();
    var cfg = data.config || {};
    var sc = cfg.studycol || {};
    T2S = new Map();
    vocab = new Set();
    var pairs = Array.from(sc.t2s || "");
    for (var i = 0; i + 1 < pairs.length; i += 2) T2S.set(pairs[i], pairs[i + 1]);
    var sep = new RegExp(cfg.separator || "[\\s\\u200b\\-]+", "u");
    (sc.words || []).forEach(function (w) { vocab.add(normalize(w)); });

    docs = [];
    var norms = [];
    articles = new Map();
    corpusCache = new Map();
    var total = 0;
    var raws = data.docs || [];
    var view = chooseView(data);
    view.forEach(function (d, idx) {
      // 词表：整理过的索引把 jieba 切出的词汇成 words；未整理的 Material 索引则从零宽空格隔开的文字中取
      if (sc.segmented !== false)
        ((d.title || "") + " " + (d.text || "")).replace(/<[^>]+>/g, " ").split(sep).forEach(function (tok) {
          if (tok.length >= 2 && HAN.test(tok)) vocab.add(normalize(decodeEntities(tok)));
        });
      var key = d.__raw || d;
      var hit = normCache.get(key);
      if (!hit || hit.location !== d.location) {
        var doc = {
          location: d.location,
          page: d.location.split("#")[0],
          titlePlain: plainText(d.title),
          plain: plainText(d.text),
          anchors: Array.isArray(d.anchors) ? d.anchors : null,
          boost: typeof d.boost === "number" ? d.boost : 1,
          tags: d.tags
        };
        doc.titleNorm = normalize(doc.titlePlain);
        // 页面 front matter 中的 tags 与标题同等对待（Material 的引擎也把它们当作高权重字段）
        var tags = Array.isArray(d.tags) ? normalize(d.tags.join(" ")) : "";
        var n = doc.titleNorm + (tags ? "\u0003" + tags : "") + "\u0001" + normalize(doc.plain);
        doc.len = n.length;
        hit = { location: d.location, doc: doc, norm: n };
        normCache.set(key, hit);
      }
      total += hit.norm.length;
      docs.push(hit.doc);
      norms.push(hit.norm);
      if (hit.doc.location === hit.doc.page && !articles.has(hit.doc.page)) articles.set(hit.doc.page, hit.doc);
    });
    avgLen = Math.max(1, total / Math.max(1, docs.length));
    starts = new Int32Array(docs.length);
    textStart = new Int32Array(docs.length);
    var pos = 0;
    for (var k = 0; k < norms.length; k++) {
      starts[k] = pos;
      textStart[k] = pos + norms[k].indexOf("\u0001") + 1;
      pos += norms[k].length + 1;
    }
    ALL = norms.join("\u0002");
  }

  /* 第 k 条的正规化串（ALL 中的一段；V8 的子串不复制内容） */
  function normOf(k) {
    var end = k + 1 < starts.length ? starts[k + 1] - 1 : ALL.length;
    return ALL.substring(starts[k], end);
  }

  function corpusHas(s) {
    var v = corpusCache.get(s);
    if (v === undefined) {
      v = ALL.indexOf(s) >= 0;
      if (corpusCache.size > 5000) corpusCache.clear();
      corpusCache.set(s, v);
    }
    return v;
  }

  // ---- 查询分析 -------------------------------------------------------------

  /* 把一段（已正规化、无空白的）查询切成词：ASCII 字母数字连成一个单位，汉字逐字为单位 */
  function atomsOf(s) {
    return s.match(/[a-z0-9]+|[\s\S]/gu) || [];
  }

  function segmentChunk(chunk) {
    var atoms = atomsOf(chunk), n = atoms.length;
    var best = new Array(n + 1).fill(-Infinity), back = new Array(n + 1).fill(0);
    best[0] = 0;
    var relax = function (j, i, g) { if (best[i] + g > best[j]) { best[j] = best[i] + g; back[j] = i; } };
    for (var i = 0; i < n; i++) {
      if (best[i] === -Infinity) continue;
      var a = atoms[i];
      // 单字：虚词 0 分；其他单字略扣分，使“转发 / 给”胜过“转 / 发给”
      var single = ASCII_WORD.test(a) ? 1 : (STOP_CHARS.has(a) ? 0 : -0.1);
      relax(i + 1, i, single);
      var piece = a;
      for (var j = i + 2; j <= Math.min(n, i + MAX_WORD); j++) {
        piece += atoms[j - 1];
        var inVocab = vocab.has(piece);
        if (!inVocab && !corpusHas(piece)) break;
        // 词表外的片段不能含虚词（否则“省级局要做”会切出“局要做”）
        if (!inVocab && hasStopChar(piece)) continue;
        // 词表中的词每字 1 分、每词另加 0.5 分：覆盖的字一样多时取切得更细的（“抽查评估”→“抽查 / 评估”，
        // 原文写作“抽查和评估”也能找到；相邻的词在正文中连着出现另有加分）。词表外、只是在正文中连续出现的
        // 片段每字 0.5 分，只用来接住被 jieba 切成单字的词（如“直插”），不与词表中的词争夺。
        var L = j - i;
        relax(j, i, inVocab ? L + 0.5 : L * 0.5);
      }
    }
    var pieces = [];
    for (var j2 = n; j2 > 0; j2 = back[j2]) pieces.unshift(atoms.slice(back[j2], j2).join(""));
    return mergeSingles(pieces);
  }

  /* 剩下的单字（非虚词）与相邻的词在正文中连着出现时并成一个词：“校勘 / 记”→“校勘记”，“直 / 插”→“直插” */
  function mergeSingles(pieces) {
    for (var changed = true; changed;) {
      changed = false;
      for (var i = 0; i < pieces.length; i++) {
        var p = pieces[i];
        if (Array.from(p).length !== 1 || STOP_CHARS.has(p)) continue;
        var left = i > 0 && !STOP_CHARS.has(pieces[i - 1]) ? pieces[i - 1] + p : null;
        var right = i + 1 < pieces.length && !STOP_CHARS.has(pieces[i + 1]) ? p + pieces[i + 1] : null;
        if (left && !corpusHas(left)) left = null;
        if (right && !corpusHas(right)) right = null;
        if (!left && !right) continue;
        // 两边都行时并向较短的一边（多半是另一个单字或短词）
        if (left && (!right || pieces[i - 1].length <= pieces[i + 1].length)) pieces.splice(i - 1, 2, left);
        else pieces.splice(i, 2, right);
        changed = true;
        break;
      }
    }
    return pieces;
  }

  function hasStopChar(piece) {
    return Array.from(piece).some(function (c) { return STOP_CHARS.has(c); });
  }

  function isContent(piece) {
    if (piece.length > 1 || ASCII_WORD.test(piece)) return true;
    return !STOP_CHARS.has(piece) && corpusHas(piece);
  }

  function analyze(query) {
    var raw = String(query || "").trim().slice(0, MAX_QUERY);
    var stripped = raw;
    STOPWORDS.forEach(function (w) { stripped = stripped.split(w).join(" "); });
    var parts = stripped.split(/[\s,，。．.、;；:：!！?？…—·\/|\\~*^+\-]+/);
    var chunks = parts.map(function (p) { return normalize(p); }).filter(Boolean);
    if (!chunks.length) chunks = raw.split(/\s+/).map(function (p) { return normalize(p); }).filter(Boolean);
    var terms = [], seen = new Set(), phrases = [];
    chunks.forEach(function (chunk) {
      var pieces = segmentChunk(chunk);
      var content = pieces.map(isContent);
      pieces.forEach(function (p, k) {
        if (content[k] && !seen.has(p)) { seen.add(p); terms.push(p); }
      });
      // 相邻的两个实词（中间可夹虚词）在正文中也连着出现时加分
      var idx = [];
      content.forEach(function (c, k) { if (c) idx.push(k); });
      for (var a = 0; a + 1 < idx.length; a++) {
        phrases.push({ text: pieces.slice(idx[a], idx[a + 1] + 1).join(""), words: [pieces[idx[a]], pieces[idx[a + 1]]] });
      }
      if (!pieces.some(function (p, k) { return content[k]; }) && !seen.has(chunk)) {
        seen.add(chunk);
        terms.push(chunk);
      }
    });
    if (chunks.length > 1) phrases.push({ text: chunks.join(""), words: terms.slice() });
    return { terms: terms, phrases: phrases, chunks: chunks };
  }

  // ---- 检索与排序 -----------------------------------------------------------

  function docAt(pos) {
    var lo = 0, hi = starts.length - 1;
    while (lo < hi) {
      var mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= pos) lo = mid; else hi = mid - 1;
    }
    return lo;
  }

  /* 每个词在各条目中的出现次数（标题、正文分开） */
  function postings(term) {
    var hits = new Map();
    if (!term) return hits;
    for (var p = ALL.indexOf(term); p >= 0; p = ALL.indexOf(term, p + 1)) {
      var k = docAt(p);
      var h = hits.get(k);
      if (!h) hits.set(k, h = { title: 0, text: 0 });
      if (p < textStart[k]) h.title++; else h.text++;
    }
    return hits;
  }

  function search(query) {
    var q = analyze(query);
    if (!q.terms.length || !docs.length) return { items: [] };
    var N = docs.length, k1 = 1.2, b = 0.75;
    var info = q.terms.map(function (t) {
      var hits = postings(t);
      var df = hits.size;
      var idf = Math.log(1 + (N - df + 0.5) / (df + 0.5));
      var single = Array.from(t).length === 1;
      return { term: t, hits: hits, weight: idf * (single ? 0.35 : 1), df: df };
    });
    var possible = info.reduce(function (s, t) { return s + (t.df ? t.weight : 0); }, 0);
    if (!possible) return { items: [] };

    var scores = new Map();
    info.forEach(function (t) {
      t.hits.forEach(function (h, k) {
        var s = scores.get(k);
        if (!s) scores.set(k, s = { score: 0, covered: 0, matched: new Set() });
        var tf = h.text;
        var norm = 1 - b + b * docs[k].len / avgLen;
        s.score += t.weight * (tf ? tf * (k1 + 1) / (tf + k1 * norm) : 0) + (h.title ? t.weight * 3 : 0);
        s.covered += t.weight;
        s.matched.add(t.term);
      });
    });
    var ranked = [];
    scores.forEach(function (s, k) {
      var coverage = s.covered / possible;
      ranked.push({ k: k, s: s, pre: s.score * coverage * coverage });
    });
    ranked.sort(function (x, y) { return y.pre - x.pre; });
    ranked = ranked.slice(0, 200);

    var weightOf = new Map(info.map(function (t) { return [t.term, t.weight]; }));
    var whole = q.chunks.join("");
    ranked.forEach(function (r) {
      var bonus = 0, n = normOf(r.k);
      // 查询与标题（去掉“一、”之类的序号）完全相同：多半是在找这一节
      if (docs[r.k].titleNorm.replace(/^[一二三四五六七八九十\d]+[、.]/, "") === whole) bonus += possible * 2;
      q.phrases.forEach(function (ph) {
        if (ph.words.every(function (w) { return r.s.matched.has(w); }) && n.indexOf(ph.text) >= 0)
          bonus += ph.words.reduce(function (sum, w) { return sum + (weightOf.get(w) || 0); }, 0) / 2;
      });
      var coverage = r.s.covered / possible;
      r.score = (r.s.score + bonus) * coverage * coverage * docs[r.k].boost;
    });
    ranked.sort(function (x, y) { return y.score - x.score; });
    // 不同页面上标题相同的条目（如各案例页面中同名的“隐蔽工作面作业”小节）依次减分，
    // 让前几条结果来自不同种类的内容（原文、术语、案例），而不是同一模板的重复
    var titleSeen = new Map();
    ranked.forEach(function (r) {
      var doc = docs[r.k], pages = titleSeen.get(doc.titleNorm);
      if (!pages) titleSeen.set(doc.titleNorm, pages = new Map());
      if (!pages.has(doc.page)) pages.set(doc.page, pages.size + 1);
      r.score /= pages.get(doc.page);
    });
    ranked.sort(function (x, y) { return y.score - x.score; });
    // 只命中次要词的条目（如搜“安全监控”时只含“安全”的句子）不列出：覆盖率不到最佳结果的一半即舍去
    var bestCoverage = ranked.reduce(function (m, r) { return Math.max(m, r.s.covered); }, 0);
    ranked = ranked.filter(function (r) { return r.s.covered >= bestCoverage / 2; }).slice(0, 60);
    return { items: group(ranked, info, q.phrases) };
  }

  // ---- 结果：落点、摘要、高亮 -------------------------------------------------

  /* 正规化串中词的全部出现位置 → 原文区间 */
  function occurrences(plain, terms) {
    var nm = normalize(plain, true), n = nm[0], map = nm[1], out = [];
    terms.forEach(function (t) {
      for (var p = n.indexOf(t.term); p >= 0; p = n.indexOf(t.term, p + 1))
        out.push({ term: t.term, weight: t.weight, start: map[p], end: map[p + t.term.length - 1] + 1, nstart: p });
    });
    out.sort(function (x, y) { return x.start - y.start || y.end - x.end; });
    return { occ: out, norm: n, map: map };
  }

  /* 相邻或重叠（中间只隔着括号、书名号等）的命中并成一段：“安全”“监控”→“安全监控” */
  function mergeSpans(plain, occ) {
    var out = [];
    occ.forEach(function (o) {
      var last = out[out.length - 1];
      if (last && o.start <= last.end + 2 && Array.from(plain.slice(last.end, o.start)).every(function (c) { return DROP.has(c); })) {
        if (o.end > last.end) last.end = o.end;
        last.weight = Math.max(last.weight, o.weight);
        last.terms.add(o.term);
      } else {
        out.push({ start: o.start, end: o.end, weight: o.weight, terms: new Set([o.term]) });
      }
    });
    return out;
  }

  function markUp(plain, occ, from, to) {
    occ = mergeSpans(plain, occ);
    var html = "", pos = from;
    occ.forEach(function (o) {
      if (o.start < pos || o.end > to) return;
      html += escapeHTML(plain.slice(pos, o.start)) + "<mark>" + escapeHTML(plain.slice(o.start, o.end)) + "</mark>";
      pos = o.end;
    });
    return html + escapeHTML(plain.slice(pos, to));
  }

  function bestRegion(doc, found, phrases) {
    var regions = [];
    if (doc.anchors && doc.anchors.length) {
      for (var i = 0; i < doc.anchors.length; i++) {
        var start = doc.anchors[i][0], end = i + 1 < doc.anchors.length ? doc.anchors[i + 1][0] : doc.plain.length;
        regions.push({ id: doc.anchors[i][1], start: start, end: end });
      }
    } else {
      regions.push({ id: null, start: 0, end: doc.plain.length });
    }
    var best = null;
    regions.forEach(function (r) {
      var terms = new Map();
      found.occ.forEach(function (o) { if (o.start >= r.start && o.end <= r.end) terms.set(o.term, o.weight); });
      var score = 0;
      terms.forEach(function (w) { score += w; });
      var seg = normalize(doc.plain.slice(r.start, r.end));
      phrases.forEach(function (ph) {
        if (seg.indexOf(ph.text) >= 0)
          ph.words.forEach(function (w) { score += terms.get(w) || 0; });
      });
      if (!best || score > best.score) { best = r; best.score = score; }
    });
    return best;
  }

  function snippet(doc, region, found) {
    var from = region.start, to = region.end, MAX = 120;
    var inside = found.occ.filter(function (o) { return o.start >= from && o.end <= to; });
    if (to - from > MAX) {
      var anchor = inside.length ? inside.reduce(function (a, o) { return o.weight > a.weight ? o : a; }) : null;
      var center = anchor ? anchor.start : from;
      var s = Math.max(from, center - 40), e = Math.min(to, s + MAX);
      s = Math.max(from, e - MAX);
      from = s; to = e;
    }
    var html = markUp(doc.plain, inside, from, to);
    if (from > region.start) html = "…" + html;
    if (to < region.end) html += "…";
    return html ? "<p>" + html + "</p>" : "";
  }

  function item(r, info, phrases) {
    var doc = docs[r.k];
    var present = info.filter(function (t) { return r.s.matched.has(t.term); });
    var found = occurrences(doc.plain, present);
    var region = bestRegion(doc, found, phrases);
    var location = region && region.id ? doc.page + "#" + region.id : doc.location;
    var titleFound = occurrences(doc.titlePlain, present);
    // 命中处按原文写法给出（连着命中的词并成一段），目标页面据此高亮：繁体、无括号的查询也能高亮，
    // 也不会因为“安全监控”中的“安全”把整页的“安全”都标出来。未命中的词标为 false（界面显示“缺少”）。
    var terms = {};
    var reg = region || { start: 0, end: doc.plain.length };
    var inRegion = found.occ.filter(function (o) { return o.start >= reg.start && o.end <= reg.end; });
    var covered = new Set();
    var pick = function (plain, spans) {
      // 含词最多的段优先；只含已给出的词的段不再重复给出
      spans.sort(function (a, b) { return b.terms.size - a.terms.size || (b.end - b.start) - (a.end - a.start); });
      spans.forEach(function (sp) {
        var fresh = false;
        sp.terms.forEach(function (t) { if (!covered.has(t)) fresh = true; });
        if (!fresh) return;
        sp.terms.forEach(function (t) { covered.add(t); });
        terms[plain.slice(sp.start, sp.end)] = true;
      });
    };
    pick(doc.plain, mergeSpans(doc.plain, inRegion.length ? inRegion : found.occ));
    pick(doc.titlePlain, mergeSpans(doc.titlePlain, titleFound.occ));
    titleFound.occ.forEach(function (o) { covered.add(o.term); });
    found.occ.forEach(function (o) { covered.add(o.term); });
    // 只在 tags 中命中的词也算命中
    info.forEach(function (t) { if (t.df && !covered.has(t.term)) terms[t.term] = r.s.matched.has(t.term); });
    var result = {
      location: location,
      title: markUp(doc.titlePlain, titleFound.occ, 0, doc.titlePlain.length),
      text: snippet(doc, region || { start: 0, end: doc.plain.length }, found),
      score: r.score,
      terms: terms
    };
    if (doc.tags) result.tags = doc.tags;
    return result;
  }

  function group(ranked, info, phrases) {
    var groups = new Map();
    ranked.forEach(function (r) {
      var doc = docs[r.k];
      var it = item(r, info, phrases);
      if (!groups.has(doc.page)) groups.set(doc.page, []);
      var list = groups.get(doc.page);
      if (!list.some(function (x) { return x.location === it.location; })) list.push(it);
    });
    var out = [];
    groups.forEach(function (list, page) {
      // Material 的结果界面要求每组含有页面本身（地址不带 #），未命中时以 0 分附在末尾。
      // 它的链接也要带上本组命中的词（Material 由 terms 生成 ?h=）：否则打开的页面什么也不高亮；
      // 打开后滚到第一处高亮由 search-input.js 负责
      if (!list.some(function (x) { return x.location === page; })) {
        var article = articles.get(page);
        var title = article ? escapeHTML(article.titlePlain) : escapeHTML(page);
        var hit = {};
        list.forEach(function (x) { Object.keys(x.terms).forEach(function (t) { if (x.terms[t]) hit[t] = true; }); });
        list.push({ location: page, title: title, text: "", score: 0, terms: hit });
      }
      out.push(list);
    });
    return out;
  }

  // ---- 消息 ---------------------------------------------------------------
  if (typeof addEventListener === "function") addEventListener("message", function (ev) {
    var message = ev.data || {};
    var reply = null, start = false, startMain = false;
    try {
      if (message.type === SETUP) {
        setup(message.data || {});
        reply = { type: READY };  // 引子不用建索引：立即就绪，读者可以键入
      } else if (message.type === QUERY) {
        lastQuery = String(message.data || "").trim();
        if (mainState === "idle" || mainState === "loading") {
          // 主索引还没读入：空查询（界面就绪时先发一个）立即答空；第一次真正的查询开始读入主索引，
          // 读完再回答最近一次查询，其间的查询只记下不作答
          if (!lastQuery) reply = { type: RESULT, data: { items: [] } };
          else startMain = mainState === "idle";
        } else {
          reply = { type: RESULT, data: search(message.data) };
          // 第一次真正的搜索时开始读入案例各批，先发出这次的结果
          start = lastQuery !== "" && partsState === "idle";
        }
      } else {
        return;
      }
    } catch (err) {
      console.warn("站内搜索出错：", err);
      reply = message.type === SETUP ? { type: READY } : { type: RESULT, data: { items: [] } };
    }
    if (reply) postMessage(reply);
    if (startMain) {
      try { loadMain(); } catch (err) {
        console.warn("站内搜索：读入主索引出错：", err);
        mainState = state.main = state.state = "idle";
        postMessage({ type: RESULT, data: { items: [] } });
      }
    }
    if (start) {
      try { loadParts(); } catch (err) { console.warn("站内搜索：读入分批索引出错：", err); }
    }
  });

  // 供测试和基准脚本在 Node 中直接调用（浏览器中不存在 module）
  if (typeof module !== "undefined" && module.exports)
    module.exports = { setup: setup, receivePart: receivePart, restoreMain: restoreMain, build: build, search: search, analyze: analyze, normalize: normalize, segmentChunk: segmentChunk };
})();

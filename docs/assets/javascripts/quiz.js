/* 学习测验：网页自测、错题本和试卷打印按钮。
 *
 * - 题目由构建程序写成 HTML（studycol/steps/quiz.py，模板 overrides/partials/column/quiz-form.html），
 *   正确答案在每道题的 data-answer 属性中；本脚本不请求任何文件，从 file:// 打开也能用。
 * - 全部用原生表单控件：单选按钮、复选框、文本框，键盘和读屏软件无需额外处理。
 * - 错题本只写入本浏览器的 localStorage，不向任何地方发送数据。
 * - 没有脚本时页面照常可读：题目可见，参考答案收在“参考答案和解析”中。
 */
(function () {
  "use strict";

  var BOOK_KEY = "studycol:quiz:wrongbook";

  // ---- 错题本（localStorage） -------------------------------------------------

  function readBook() {
    try {
      var raw = window.localStorage.getItem(BOOK_KEY);
      var data = raw ? JSON.parse(raw) : null;
      return data && data.v === 1 && data.items ? data : { v: 1, items: {} };
    } catch (e) {
      return null; // 浏览器禁止本地存储（如某些隐私模式）
    }
  }

  function writeBook(book) {
    try {
      window.localStorage.setItem(BOOK_KEY, JSON.stringify(book));
      return true;
    } catch (e) {
      return false;
    }
  }

  function today() {
    var d = new Date();
    return d.getFullYear() + "年" + (d.getMonth() + 1) + "月" + d.getDate() + "日";
  }

  // ---- 判分 ------------------------------------------------------------------

  function normalize(s) {
    return String(s || "").normalize("NFKC").replace(/\s+/g, "").replace(/[。．.]$/, "");
  }

  function chosen(li) {
    var type = li.getAttribute("data-type");
    if (type === "blank") {
      var input = li.querySelector("input[type=text]");
      return input && input.value.trim() ? input.value.trim() : "";
    }
    var boxes = li.querySelectorAll("input:checked");
    var out = [];
    for (var i = 0; i < boxes.length; i++) out.push(boxes[i].value);
    return out.sort().join("");
  }

  function isRight(li, answer) {
    var type = li.getAttribute("data-type");
    var expected = li.getAttribute("data-answer");
    if (type === "blank") {
      var accepted = [];
      try { accepted = JSON.parse(expected); } catch (e) { accepted = [expected]; }
      var given = normalize(answer);
      return accepted.some(function (a) { return normalize(a) === given; });
    }
    return answer === expected;
  }

  function shownAnswer(li, answer) {
    if (!answer) return "";
    if (li.getAttribute("data-type") === "multi") return answer.split("").join("、");
    return answer;
  }

  function correctShown(li) {
    var type = li.getAttribute("data-type");
    var expected = li.getAttribute("data-answer");
    if (type === "blank") {
      try { return JSON.parse(expected).join("或"); } catch (e) { return expected; }
    }
    return type === "multi" ? expected.split("").join("、") : expected;
  }

  function stemText(li) {
    var legend = li.querySelector("legend");
    var text = legend ? legend.textContent : "";
    // 只合并半角空白：题干中的“（　　）”是两个全角空格，要原样保留
    return text.replace(/（填空处）/g, "____").replace(/[ \t\r\n]+/g, " ").trim();
  }

  // ---- 一份测验 ----------------------------------------------------------------

  function Quiz(root) {
    this.root = root;
    this.form = root.querySelector("form");
    this.result = root.querySelector(".quiz__result");
    this.live = root.querySelector("[data-quiz-live]");
    this.title = root.getAttribute("data-quiz-title") || document.title;
    this.round = 0;
    var actions = root.querySelector(".quiz__actions");
    if (actions) actions.hidden = false;
    this.each(function (li) {
      var key = li.querySelector(".quiz-q__key");
      if (key) key.hidden = true; // 交卷后再显示答案和解析
    });
    var self = this;
    this.form.addEventListener("submit", function (e) { e.preventDefault(); self.requestSubmit(); });
    this.form.addEventListener("keydown", function (e) { self.onKey(e); });
    root.addEventListener("click", function (e) {
      var btn = e.target.closest ? e.target.closest("[data-quiz-action]") : null;
      if (!btn || !root.contains(btn)) return;
      var action = btn.getAttribute("data-quiz-action");
      if (action === "retry") self.retryWrong();
      else if (action === "restart") self.restart();
      else if (action === "clear") self.clearAnswers();
      else if (action === "confirm-submit") { self.hideConfirm(); self.submit(); }
      else if (action === "back") self.backToFirstUnanswered();
    });
  }

  Quiz.prototype.questions = function () {
    return Array.prototype.slice.call(this.root.querySelectorAll("li.quiz-q"));
  };

  Quiz.prototype.each = function (fn) { this.questions().forEach(fn); };

  Quiz.prototype.active = function () {
    return this.questions().filter(function (li) { return !li.hidden; });
  };

  // 文本框中按回车：不交卷，跳到下一道题（避免答到一半误交卷）
  Quiz.prototype.onKey = function (e) {
    if (e.key !== "Enter" || !e.target.matches || !e.target.matches("input[type=text]")) return;
    e.preventDefault();
    var list = this.active();
    var li = e.target.closest("li.quiz-q");
    var next = list[list.indexOf(li) + 1];
    var target = next ? next.querySelector("input") : this.form.querySelector("button[type=submit]");
    if (target) target.focus();
  };

  Quiz.prototype.unanswered = function () {
    return this.active().filter(function (li) { return chosen(li) === ""; });
  };

  // 交卷：还有未答的题时先提示，答题人确认后才交卷
  Quiz.prototype.requestSubmit = function () {
    var blank = this.unanswered();
    if (!blank.length) { this.submit(); return; }
    var box = this.root.querySelector(".quiz__confirm");
    var text = box.querySelector(".quiz__confirm-text");
    text.textContent = "还有" + blank.length + "道题未作答（共" + this.active().length + "道）。未答的题按答错计分。仍然交卷吗？";
    box.hidden = false;
    this.root.querySelector(".quiz__submit-buttons").hidden = true;
    this.live.textContent = text.textContent;
    box.querySelector("[data-quiz-action=back]").focus();
  };

  Quiz.prototype.hideConfirm = function () {
    this.root.querySelector(".quiz__confirm").hidden = true;
    this.root.querySelector(".quiz__submit-buttons").hidden = false;
  };

  Quiz.prototype.backToFirstUnanswered = function () {
    var first = this.unanswered()[0];
    this.hideConfirm();
    var input = first ? first.querySelector("input") : null;
    if (input) input.focus();
  };

  Quiz.prototype.submit = function () {
    var self = this;
    var list = this.active();
    var right = 0;
    var wrong = [];
    var skipped = 0;
    var book = readBook();
    list.forEach(function (li) {
      var answer = chosen(li);
      var ok = answer !== "" && isRight(li, answer);
      self.mark(li, answer, ok);
      if (ok) right++;
      else wrong.push(li);
      if (!answer) skipped++;
      li.setAttribute("data-outcome", ok ? "right" : answer ? "wrong" : "skip");
      if (book) {
        var qid = li.getAttribute("data-q");
        if (ok) {
          delete book.items[qid];
        } else {
          var home = li.getAttribute("data-home");
          var href = home ? new URL(home, location.href).href : location.href.split("#")[0] + "#" + qid;
          var old = book.items[qid] || {};
          book.items[qid] = {
            stem: stemText(li).slice(0, 120), href: href, quiz: self.title, at: today(),
            times: (old.times || 0) + (answer ? 1 : 0), skipped: (old.skipped || 0) + (answer ? 0 : 1),
            last: answer ? "wrong" : "skip"
          };
        }
      }
    });
    var saved = book ? writeBook(book) : false;
    this.round++;
    this.showResult(list, right, wrong, skipped, saved);
  };

  Quiz.prototype.mark = function (li, answer, ok) {
    var verdict = li.querySelector(".quiz-q__verdict");
    var type = li.getAttribute("data-type");
    li.classList.remove("quiz-q--right", "quiz-q--wrong");
    li.classList.add(ok ? "quiz-q--right" : "quiz-q--wrong");
    if (ok) {
      verdict.textContent = "✓ 回答正确。";
    } else if (!answer) {
      verdict.textContent = "✗ 未作答。正确答案：" + correctShown(li) + "。";
    } else {
      verdict.textContent = "✗ 回答错误。你的答案：" + shownAnswer(li, answer) + "；正确答案：" + correctShown(li) + "。";
    }
    verdict.hidden = false;
    // 在选项上用文字标出正确答案和答错的选择（不只靠颜色）
    if (type !== "blank") {
      var expected = li.getAttribute("data-answer");
      var inputs = li.querySelectorAll("input");
      for (var i = 0; i < inputs.length; i++) {
        var input = inputs[i];
        var label = input.closest("label");
        var isCorrect = type === "judge" ? input.value === expected : expected.indexOf(input.value) >= 0;
        var note = null;
        if (isCorrect) note = "正确答案";
        else if (input.checked) note = "你的选择";
        if (note && label) {
          var span = document.createElement("span");
          span.className = "quiz-q__note quiz-q__note--" + (isCorrect ? "right" : "wrong");
          span.textContent = "（" + note + "）";
          label.appendChild(span);
        }
        input.disabled = true;
      }
    } else {
      li.querySelector("input[type=text]").disabled = true;
    }
    var key = li.querySelector(".quiz-q__key");
    if (key) {
      key.hidden = false;
      key.open = !ok;
    }
  };

  // 结果汇总：题目来自几个部分时按部分，否则按题型，各列答对几题、答错几题、未答几题
  Quiz.prototype.summarize = function (list) {
    var parts = [];
    var byKey = {};
    var multi = list.some(function (li) { return li.getAttribute("data-part") !== list[0].getAttribute("data-part"); });
    list.forEach(function (li) {
      var key = (multi ? li.getAttribute("data-part") : li.getAttribute("data-kind")) || "";
      if (!byKey[key]) { byKey[key] = { name: key, total: 0, right: 0, wrong: 0, skip: 0 }; parts.push(byKey[key]); }
      var row = byKey[key];
      row.total++;
      row[li.getAttribute("data-outcome")]++;
    });
    var box = this.result.querySelector(".quiz__summary");
    var ul = box.querySelector(".quiz__summary-list");
    box.querySelector("h3").textContent = multi ? "按部分汇总" : "按题型汇总";
    ul.textContent = "";
    parts.forEach(function (row) {
      var item = document.createElement("li");
      var name = document.createElement("strong");
      name.textContent = row.name + (multi ? "" : "题") + "：";
      item.appendChild(name);
      var parts2 = ["共" + row.total + "题", "答对" + row.right + "题"];
      if (row.wrong) parts2.push("答错" + row.wrong + "题");
      if (row.skip) parts2.push("未答" + row.skip + "题");
      item.appendChild(document.createTextNode(parts2.join("，") + "。"));
      ul.appendChild(item);
    });
    box.hidden = list.length < 2;
  };

  Quiz.prototype.showResult = function (list, right, wrong, skipped, saved) {
    var total = list.length;
    var score = total ? Math.round((100 * right) / total) : 0;
    var first = this.round === 1 && total === this.questions().length;
    var missed = wrong.length - skipped;
    var text = first
      ? "共" + total + "题，答对" + right + "题，答错" + missed + "题，未答" + skipped + "题，得分" + score + "分（百分制）。"
      : "本轮重做" + total + "题，答对" + right + "题，仍有" + wrong.length + "题未答对" + (skipped ? "（其中未答" + skipped + "题）" : "") + "。";
    this.result.querySelector(".quiz__score").textContent = text;
    this.summarize(list);
    var review = this.result.querySelector(".quiz__review");
    var ol = this.result.querySelector(".quiz__review-list");
    ol.textContent = "";
    wrong.forEach(function (li) {
      var item = document.createElement("li");
      var a = document.createElement("a");
      var legend = li.querySelector("legend");
      var stem = stemText(li);
      a.href = "#" + legend.id;
      a.textContent = stem.length > 70 ? stem.slice(0, 69) + "…" : stem;
      item.appendChild(a);
      var v = document.createElement("span");
      v.className = "quiz__review-verdict";
      v.textContent = " " + li.querySelector(".quiz-q__verdict").textContent.replace(/^✗ /, "");
      item.appendChild(v);
      ol.appendChild(item);
    });
    review.hidden = wrong.length === 0;
    this.result.querySelector("[data-quiz-action=retry]").hidden = wrong.length === 0;
    var note = this.result.querySelector(".quiz__saved");
    if (!note) {
      note = document.createElement("p");
      note.className = "quiz__saved";
      this.result.querySelector(".quiz__score").after(note);
    }
    note.textContent = saved
      ? "答错的题已记入本浏览器的错题本（只保存在本机，不会发送到任何地方），再次答对后自动移出。"
      : "本浏览器不允许保存数据，错题本未能记录；本次结果仍可在本页查看。";
    this.root.querySelector(".quiz__actions").hidden = true;
    this.result.hidden = false;
    this.live.textContent = text;
    // 结果区在全部题目之后：焦点移过去，并把得分和汇总滚到屏幕顶端（不停在长长的错题列表里）
    this.result.focus({ preventScroll: true });
    this.result.scrollIntoView({ block: "start" });
  };

  Quiz.prototype.resetQuestion = function (li) {
    li.classList.remove("quiz-q--right", "quiz-q--wrong");
    var inputs = li.querySelectorAll("input");
    for (var i = 0; i < inputs.length; i++) {
      inputs[i].disabled = false;
      inputs[i].checked = false;
      if (inputs[i].type === "text") inputs[i].value = "";
    }
    var notes = li.querySelectorAll(".quiz-q__note");
    for (var j = 0; j < notes.length; j++) notes[j].remove();
    var verdict = li.querySelector(".quiz-q__verdict");
    verdict.hidden = true;
    verdict.textContent = "";
    var key = li.querySelector(".quiz-q__key");
    if (key) { key.open = false; key.hidden = true; }
  };

  Quiz.prototype.reopen = function (visible, message) {
    var self = this;
    this.each(function (li) {
      var show = visible(li);
      li.hidden = !show;
      if (show) self.resetQuestion(li);
    });
    var sections = this.root.querySelectorAll(".quiz__section");
    for (var i = 0; i < sections.length; i++) {
      sections[i].hidden = !sections[i].querySelector("li.quiz-q:not([hidden])");
    }
    this.result.hidden = true;
    this.root.querySelector(".quiz__actions").hidden = false;
    this.hideConfirm();
    this.live.textContent = message;
    var firstInput = this.form.querySelector("li.quiz-q:not([hidden]) input");
    if (firstInput) firstInput.focus();
  };

  Quiz.prototype.retryWrong = function () {
    var n = this.root.querySelectorAll("li.quiz-q.quiz-q--wrong:not([hidden])").length;
    this.reopen(function (li) { return !li.hidden && li.classList.contains("quiz-q--wrong"); },
      "只显示答错的" + n + "道题，请重新作答。");
  };

  Quiz.prototype.restart = function () {
    this.round = 0;
    this.reopen(function () { return true; }, "已清空全部答案，请重新作答。");
  };

  Quiz.prototype.clearAnswers = function () {
    this.active().forEach(function (li) {
      var inputs = li.querySelectorAll("input");
      for (var i = 0; i < inputs.length; i++) {
        inputs[i].checked = false;
        if (inputs[i].type === "text") inputs[i].value = "";
      }
    });
    this.live.textContent = "已清空答案。";
  };

  // ---- 错题本页面 ----------------------------------------------------------------

  function renderBook(root) {
    var status = root.querySelector("[data-quiz-wrongbook-status]");
    var list = root.querySelector(".quiz-wrongbook__list");
    var clear = root.querySelector("[data-quiz-action=clear-wrongbook]");
    var book = readBook();
    list.textContent = "";
    if (!book) {
      status.textContent = "本浏览器不允许保存数据，无法使用错题本。";
      list.hidden = true;
      clear.hidden = true;
      return;
    }
    var ids = Object.keys(book.items);
    if (!ids.length) {
      status.textContent = "错题本是空的：在本浏览器中答错的题会列在这里。";
      list.hidden = true;
      clear.hidden = true;
      return;
    }
    var skippedIds = ids.filter(function (id) { return book.items[id].last === "skip"; });
    status.textContent = "错题本中有" + ids.length + "道题（最近一次答错" + (ids.length - skippedIds.length) + "道、未作答" +
      skippedIds.length + "道），点击题目即可回到原题重新作答：";
    ids.forEach(function (id) {
      var it = book.items[id];
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = it.href;
      a.textContent = it.stem;
      li.appendChild(a);
      var meta = document.createElement("span");
      meta.className = "quiz-wrongbook__meta";
      var counts = [];
      if (it.times) counts.push("答错" + it.times + "次");
      if (it.skipped) counts.push("未作答" + it.skipped + "次");
      meta.textContent = "（" + it.quiz + "，" + counts.join("、") + "，最近一次在" + it.at + (it.last === "skip" ? "，未作答" : "") + "）";
      li.appendChild(meta);
      list.appendChild(li);
    });
    list.hidden = false;
    clear.hidden = false;
  }

  function initBook(root) {
    renderBook(root);
    root.addEventListener("click", function (e) {
      var btn = e.target.closest ? e.target.closest("[data-quiz-action=clear-wrongbook]") : null;
      if (!btn) return;
      writeBook({ v: 1, items: {} });
      renderBook(root);
      var status = root.querySelector("[data-quiz-wrongbook-status]");
      status.textContent = "错题本已清空。";
      status.setAttribute("tabindex", "-1");
      status.focus();
    });
  }

  // ---- 试卷打印 ------------------------------------------------------------------

  function initPrint(root) {
    var buttons = root.querySelector(".quiz-print__buttons");
    if (buttons) buttons.hidden = false;
    root.addEventListener("click", function (e) {
      var btn = e.target.closest ? e.target.closest("[data-quiz-print]") : null;
      if (!btn) return;
      var paperOnly = btn.getAttribute("data-quiz-print") === "paper";
      document.documentElement.classList.toggle("quiz-print-paper-only", paperOnly);
      window.print();
    });
    window.addEventListener("afterprint", function () {
      document.documentElement.classList.remove("quiz-print-paper-only");
    });
  }

  function init() {
    var quizzes = document.querySelectorAll(".quiz[data-quiz]");
    for (var i = 0; i < quizzes.length; i++) new Quiz(quizzes[i]);
    var books = document.querySelectorAll("[data-quiz-wrongbook]");
    for (var j = 0; j < books.length; j++) initBook(books[j]);
    var papers = document.querySelectorAll(".quiz-print");
    for (var k = 0; k < papers.length; k++) initPrint(papers[k]);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();

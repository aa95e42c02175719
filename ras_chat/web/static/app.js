/* ras-chat web: a little progressive enhancement. Every page works without this file.
   Where script runs, answering does not reload the page: the form is posted with fetch,
   the page the server sends back is read, its new chat messages are added to the list
   (the list is an aria-live="polite" region, so a screen reader says them), the question
   is swapped in place and the focus moves to it. Nothing is worked out here: the server
   renders every word. */
(function () {
  "use strict";
  var root = document.documentElement;
  root.classList.remove("no-js");
  root.classList.add("js");

  function lastSeq(list) {
    var items = list.querySelectorAll("li[data-seq]");
    return items.length ? parseInt(items[items.length - 1].getAttribute("data-seq"), 10) : 0;
  }

  function lastSeqOf(li) {
    return li ? parseInt(li.getAttribute("data-seq"), 10) : 0;
  }

  function focusQuestion(doc) {
    var target = doc.querySelector("[autofocus]") || doc.getElementById("question-heading");
    if (target) {
      if (!target.hasAttribute("tabindex") && !/^(INPUT|TEXTAREA|SELECT|BUTTON|A)$/.test(target.tagName)) {
        target.setAttribute("tabindex", "-1");
      }
      target.focus();
    }
  }

  function newItems(list, fresh) {
    var from = lastSeq(list), quiet = [], news = [];
    fresh.querySelectorAll("li[data-seq]").forEach(function (li) {
      if (parseInt(li.getAttribute("data-seq"), 10) <= from) return;
      // the question just answered and the person's own words are not read out again
      (li.classList.contains("msg--person") || li.classList.contains("msg--question") ? quiet : news).push(li);
    });
    return { quiet: quiet, news: news };
  }

  function swap(doc, done) {
    var list = document.getElementById("chat");
    var freshList = doc.getElementById("chat");
    var items = list && freshList ? newItems(list, freshList) : { quiet: [], news: [] };
    if (list) {
      list.setAttribute("aria-live", "off");
      items.quiet.forEach(function (li) { list.appendChild(document.importNode(li, true)); });
    }
    window.setTimeout(function () {
      if (list) {
        list.setAttribute("aria-live", "polite");
        items.news.forEach(function (li) { list.appendChild(document.importNode(li, true)); });
      }
      // what the server now folds into "the start of our chat" moves there
      var fold = doc.querySelector(".chat-history .details");
      var here = document.querySelector(".chat-history .details");
      if (list && fold) {
        var first = freshList ? lastSeqOf(freshList.querySelector("li[data-seq]")) : 0;
        list.querySelectorAll("li[data-seq]").forEach(function (li) {
          if (parseInt(li.getAttribute("data-seq"), 10) < first) li.remove();
        });
        var copy = document.importNode(fold, true);
        if (here) { copy.open = here.open; here.replaceWith(copy); } else { list.parentNode.insertBefore(copy, list); }
        list.setAttribute("start", String(first));
      }
      ["progress", "question-area"].forEach(function (id) {
        var now = document.getElementById(id), fresh = doc.getElementById(id);
        if (now && fresh) now.replaceWith(document.importNode(fresh, true));
      });
      var area = document.getElementById("question-area");
      document.querySelectorAll("input[name=turn]").forEach(function (input) {
        if (area) input.value = area.getAttribute("data-turn");
      });
      document.title = doc.title;
      focusQuestion(document);
      done();
    }, 50);
  }

  var busy = false;
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute("data-chat") || !window.fetch || !window.DOMParser) return;
    event.preventDefault();
    if (busy) return;
    busy = true;
    var body = new URLSearchParams(new FormData(form));
    fetch(form.action, { method: "POST", body: body, credentials: "same-origin", redirect: "follow" })
      .then(function (response) {
        var path = new URL(response.url).pathname;
        if (!response.ok || path !== "/question") {
          window.location.assign(response.ok ? response.url : "/question");
          return null;
        }
        return response.text();
      })
      .then(function (text) {
        if (text === null) return;
        return new Promise(function (resolve) {
          swap(new DOMParser().parseFromString(text, "text/html"), resolve);
        });
      })
      .catch(function () { form.submit(); })
      .then(function () { busy = false; });
  });

  // the letter: the print button (hidden without script) prints
  document.querySelectorAll("[data-print-button]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
})();

// manulint HTML report: filters for the findings list. The page is complete
// without this script; it only shows the filter form and hides findings.
// It never builds markup from text: it reads attributes and sets `hidden`.
'use strict';
(function () {
  var doc = document;
  doc.documentElement.classList.add('js');
  var form = doc.getElementById('filters');
  if (!form) {
    return;
  }
  form.hidden = false;
  var findings = Array.prototype.slice.call(doc.querySelectorAll('article.finding'));
  var chapters = Array.prototype.slice.call(doc.querySelectorAll('section.chapter'));
  var status = doc.getElementById('shown');
  var total = findings.length;
  var lowered = new Map();

  function textOf(finding) {
    var text = lowered.get(finding);
    if (text === undefined) {
      text = finding.textContent.toLowerCase();
      lowered.set(finding, text);
    }
    return text;
  }

  function apply() {
    var rule = form.elements.rule.value;
    var chapter = form.elements.chapter.value;
    var query = form.elements.q.value.trim().toLowerCase();
    var severities = {};
    var boxes = form.querySelectorAll('input[name="severity"]');
    var allSeverities = true;
    for (var b = 0; b < boxes.length; b++) {
      severities[boxes[b].value] = boxes[b].checked;
      allSeverities = allSeverities && boxes[b].checked;
    }
    var active = rule !== '' || chapter !== '' || query !== '' || !allSeverities;
    var shown = 0;
    var visibleIn = {};
    for (var i = 0; i < findings.length; i++) {
      var f = findings[i];
      var ok = severities[f.dataset.severity] === true &&
        (rule === '' || f.dataset.rule === rule) &&
        (chapter === '' || f.dataset.chapter === chapter) &&
        (query === '' || textOf(f).indexOf(query) !== -1);
      f.hidden = !ok;
      if (ok) {
        shown++;
        visibleIn[f.dataset.chapter] = true;
      }
    }
    for (var c = 0; c < chapters.length; c++) {
      var section = chapters[c];
      section.hidden = active && visibleIn[section.dataset.chapter] !== true;
    }
    status.textContent = active
      ? 'Showing ' + shown.toLocaleString('en-US') + ' of ' + total.toLocaleString('en-US') + ' findings'
      : 'Showing all ' + total.toLocaleString('en-US') + ' findings';
  }

  form.addEventListener('input', apply);
  form.addEventListener('change', apply);
  form.addEventListener('reset', function () {
    // The form's values change after the event.
    setTimeout(apply, 0);
  });
  form.addEventListener('submit', function (event) {
    event.preventDefault();
  });

  // "Show" in the rules table: only that rule's findings.
  doc.addEventListener('click', function (event) {
    var button = event.target.closest('button.show[data-rule]');
    if (!button) {
      return;
    }
    form.reset();
    form.elements.rule.value = button.dataset.rule;
    apply();
    doc.getElementById('findings').scrollIntoView();
    form.elements.rule.focus({ preventScroll: true });
  });

  // Following a link to a finding or chapter the filters hide clears them.
  function reveal() {
    var id = decodeURIComponent(location.hash.slice(1));
    var target = id ? doc.getElementById(id) : null;
    if (target && target.closest('[hidden]')) {
      form.reset();
      apply();
      target.scrollIntoView();
    }
  }
  window.addEventListener('hashchange', reveal);

  // Paper shows everything: open the folded help before printing.
  window.addEventListener('beforeprint', function () {
    var details = doc.querySelectorAll('details');
    for (var d = 0; d < details.length; d++) {
      details[d].open = true;
    }
  });

  apply();
})();

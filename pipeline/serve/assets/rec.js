// The recommendation page: scroll the document view so the highlighted recommendation is in sight.
const mark = document.getElementById('hl');
const box = document.getElementById('doc-text');
if (mark && box) {
  // Centre the mark inside the scrollable text without moving the whole page.
  box.scrollTop = Math.max(0, mark.offsetTop - box.offsetTop - box.clientHeight / 3);
  if (location.hash === '#source' || location.hash === '#hl') mark.scrollIntoView({ block: 'center' });
}

// The recommendation page: scroll the document view so that the highlighted recommendation is in
// sight (inside the text box, without moving the page), and on narrow screens bring it into view
// when the link asked for the source.
const mark = document.getElementById('hl');
const box = document.getElementById('doc-text');
if (mark && box) {
  const place = () => {
    box.scrollTop += mark.getBoundingClientRect().top - box.getBoundingClientRect().top - box.clientHeight / 3;
  };
  place();
  if (location.hash === '#source' || location.hash === '#hl') mark.scrollIntoView({ block: 'center' });
  document.querySelectorAll('a[href="#hl"]').forEach((a) =>
    a.addEventListener('click', (e) => {
      e.preventDefault();
      place();
      mark.focus({ preventScroll: true });
    }),
  );
}

interface Props {
  page: number;
  pages: number;
  onPage: (page: number) => void;
}

/** Previous / next through the list; nothing when everything fits on one page. */
export function Pager({ page, pages, onPage }: Props) {
  if (pages <= 1) return null;
  return (
    <nav className="pager" aria-label="Pages">
      <button type="button" className="button" disabled={page <= 1} onClick={() => onPage(page - 1)}>
        <span aria-hidden="true">← </span>Previous<span className="visually-hidden"> page</span>
      </button>
      <span className="pager-status">
        Page {page} of {pages}
      </span>
      <button type="button" className="button" disabled={page >= pages} onClick={() => onPage(page + 1)}>
        Next<span className="visually-hidden"> page</span>
        <span aria-hidden="true"> →</span>
      </button>
    </nav>
  );
}

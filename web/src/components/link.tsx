/** An in-app link: a real <a href> (open in new tab works) that navigates without reload. */
import type { MouseEvent, ReactNode } from 'react';
import { navigate } from '../router.ts';

export function Link(props: {
  to: string;
  children: ReactNode;
  className?: string;
  title?: string;
  'aria-current'?: 'page';
}): ReactNode {
  const onClick = (e: MouseEvent<HTMLAnchorElement>): void => {
    if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(props.to);
  };
  return (
    <a
      href={props.to}
      onClick={onClick}
      className={props.className}
      title={props.title}
      aria-current={props['aria-current']}
    >
      {props.children}
    </a>
  );
}

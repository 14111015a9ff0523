import { checkPassword } from '../lib/password';

interface Props {
  id: string;
  password: string;
  /** After a rejected submit, unmet rules turn red. */
  highlightUnmet: boolean;
}

/** Live list of the server's password rules; the input points here with aria-describedby. */
export function PasswordChecklist({ id, password, highlightUnmet }: Props) {
  const rules = checkPassword(password).filter((r) => r.id !== 'maxBytes' || !r.met);
  const shown = rules.filter((r) => r.id !== 'maxBytes');
  const metCount = shown.filter((r) => r.met).length;
  return (
    <div className="checklist-wrap">
      <p id={`${id}-title`} className="checklist-title">
        Your password needs:
      </p>
      <ul id={id} className={`checklist${highlightUnmet ? ' checklist-attention' : ''}`} aria-labelledby={`${id}-title`}>
        {rules.map((rule) => (
          <li key={rule.id} className={rule.met ? 'rule-met' : 'rule-unmet'} data-rule={rule.id} data-met={rule.met}>
            <span className="rule-icon" aria-hidden="true">
              {rule.met ? '✓' : '✗'}
            </span>
            {rule.label}
            <span className="visually-hidden">{rule.met ? ' (done)' : ' (missing)'}</span>
          </li>
        ))}
      </ul>
      <p className="visually-hidden" aria-live="polite">
        {password.length === 0 ? '' : `${metCount} of ${shown.length} password requirements met.`}
      </p>
    </div>
  );
}

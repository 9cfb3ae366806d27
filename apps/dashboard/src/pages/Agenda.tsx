import { type FormEvent, useEffect, useState } from 'react';
import { GraphQLRequestError, gql, subscribe } from '../api';
import { ErrorBox, Loading } from '../components';
import { useI18n } from '../i18n';
import { ACKNOWLEDGE_ESCALATION, AGENDA, type Decision, ESCALATION_RAISED, type Escalation, RECORD_DECISION } from '../queries';
import { hrefFor, useLive, useQuery, useSession } from '../state';

const BODIES = ['BOARD', 'EXECUTIVE', 'STAFF', 'STEERING_GROUP'] as const;
const LEVEL_ORDER: Record<string, number> = { MANDATORY: 0, INFORM: 1, EXPECTED: 2 };
/** The body whose agenda a role sees first; and which body's decisions it may record. */
const ROLE_BODY: Record<string, string> = { BOARD: 'BOARD', EXECUTIVE: 'EXECUTIVE' };

interface AgendaData {
  escalations: { totalCount: number; nodes: Escalation[] };
  decisions: { nodes: Decision[] };
}

export function AgendaPage() {
  const { t, e, dateTime, number } = useI18n();
  const requestedChange = (c: NonNullable<Escalation['requestedChange']>): string =>
    [c.phase && e(c.phase), c.legalForm && e(c.legalForm), c.organisationId, c.amount !== null && `${t('upTo')} € ${number(c.amount)}`].filter(Boolean).join(', ');
  const session = useSession();
  const live = useLive();
  const ownBody = ROLE_BODY[session.role];
  const [body, setBody] = useState<string>(ownBody ?? 'BOARD');
  const [recorded, setRecorded] = useState<string>();
  const [readAfter, setReadAfter] = useState<number>();
  const position = Math.max(live.position ?? 0, readAfter ?? 0) || undefined;
  const q = useQuery(() => gql<AgendaData>(session, AGENDA, { body, position }), [session, body, live.version, readAfter]);
  const items = [...(q.data?.escalations.nodes ?? [])].sort(
    (a, b) => (LEVEL_ORDER[a.level] ?? 9) - (LEVEL_ORDER[b.level] ?? 9) || Number(b.overdue) - Number(a.overdue) || a.dueAt.localeCompare(b.dueAt),
  );
  const mayDecide = ownBody === body;

  // Live: a new escalation for this body is announced and the agenda reloads.
  const [raised, setRaised] = useState<string>();
  const [since] = useState(live.position);
  useEffect(() => {
    if (!live.client) return;
    return subscribe<{ escalationRaised: { cursor: number; subject: string; level: string } }>(
      live.client,
      ESCALATION_RAISED,
      { body, ...(since ? { after: since } : {}) },
      ({ escalationRaised: x }) => {
        setRaised(`${e(x.level)}: ${x.subject}`);
        setReadAfter(x.cursor);
      },
    );
  }, [live.client, body, since, e]);

  return (
    <div className="page">
      <h1>{t('agendaTitle')}</h1>
      <div className="agenda-head">
        <p>
          {t('agendaFor')} <strong data-testid="agenda-body">{e(body)}</strong>
        </p>
        {!ownBody && (
          <label>
            {t('body')}
            <select value={body} onChange={(ev) => setBody(ev.target.value)}>
              {BODIES.map((b) => (
                <option key={b} value={b}>{e(b)}</option>
              ))}
            </select>
          </label>
        )}
      </div>
      {recorded && (
        <p className="notice" role="status" data-testid="decision-recorded">
          {t('decisionRecorded')}: {recorded}
        </p>
      )}
      {raised && (
        <p className="notice" role="status" data-testid="escalation-raised">
          {t('newEscalation')}: {raised}
        </p>
      )}
      {q.error && <ErrorBox error={q.error} retry={q.reload} />}
      {!q.data && !q.error && <Loading />}
      {q.data && items.length === 0 && <p data-testid="agenda-empty">{t('nothingOnAgenda')}</p>}
      <ol className="agenda">
        {items.map((x) => (
          <li key={x.id} className={`item item-${x.level.toLowerCase()}${x.overdue ? ' overdue' : ''}`} data-testid={`escalation-${x.escalationId}`}>
            <article aria-labelledby={`esc-${x.id}`}>
              <header>
                <span className={`level level-${x.level.toLowerCase()}`}>{e(x.level)}</span>
                {x.overdue && <span className="badge warn">{t('overdue')}</span>}
                <h2 id={`esc-${x.id}`}>
                  <a href={hrefFor({ page: 'partnership', id: x.partnershipId })}>{x.partnershipName}</a>: {x.subject}
                </h2>
              </header>
              <dl className="facts">
                <dt>{t('cause')}</dt>
                <dd>{e(x.trigger)}</dd>
                <dt>{t('raised')}</dt>
                <dd>{dateTime(x.raisedAt)}</dd>
                <dt>{t('due')}</dt>
                <dd>{dateTime(x.dueAt)}</dd>
                {x.requestId && (
                  <>
                    <dt>{t('request')}</dt>
                    <dd><code>{x.requestId}</code></dd>
                  </>
                )}
                {x.requestedChange && (
                  <>
                    <dt>{t('requestedChange')}</dt>
                    <dd className="requested-change">{requestedChange(x.requestedChange)}</dd>
                  </>
                )}
                {x.ruleId && (
                  <>
                    <dt>{t('rule')}</dt>
                    <dd><code>{x.ruleId}</code></dd>
                  </>
                )}
              </dl>
              {mayDecide ? (
                <>
                  {x.level === 'EXPECTED' && (
                    <AcknowledgeButton
                      escalation={x}
                      onAcknowledged={(position) => {
                        setRecorded(`${t('acknowledged')} — ${x.partnershipName}: ${x.subject}`);
                        setReadAfter(position);
                      }}
                    />
                  )}
                  <DecisionForm
                    escalation={x}
                    onRecorded={(position) => {
                      setRecorded(`${x.partnershipName}: ${x.subject}`);
                      setReadAfter(position);
                    }}
                  />
                </>
              ) : (
                <p className="muted">{t('cannotDecide')}</p>
              )}
            </article>
          </li>
        ))}
      </ol>
      {q.data && q.data.decisions.nodes.length > 0 && (
        <section aria-labelledby="recent-title">
          <h2 id="recent-title">{t('recentDecisions')}</h2>
          <ul className="plain decisions">
            {q.data.decisions.nodes.map((d) => (
              <li key={d.id}>
                <strong>{e(d.outcome)}</strong> — <a href={hrefFor({ page: 'partnership', id: d.partnershipId })}>{d.partnershipName}</a>
                {d.subject ? `: ${d.subject}` : ''} <span className="muted">({t('decidedBy')} {d.decidedBy}, {dateTime(d.at)})</span>
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}

/** Sends one mutation of the signed-in caller, with its busy flag and its error for the form. */
function useSend() {
  const session = useSession();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error>();
  const send = <T,>(query: string, variables: Record<string, unknown>, done: (result: T) => void) => {
    setBusy(true);
    setError(undefined);
    gql<T>(session, query, variables).then(
      (result) => {
        setBusy(false);
        done(result);
      },
      (err: unknown) => {
        setBusy(false);
        setError(err instanceof Error ? err : new GraphQLRequestError(String(err), undefined, null));
      },
    );
  };
  return { busy, error, send };
}

/**
 * An EXPECTED escalation stays open until its body acknowledges or decides (rule 3): the board
 * may simply take note of it, which records an acknowledgement, not a decision.
 */
function AcknowledgeButton({ escalation, onAcknowledged }: { escalation: Escalation; onAcknowledged: (position: number) => void }) {
  const { t } = useI18n();
  const { busy, error, send } = useSend();
  const acknowledge = () =>
    send<{ acknowledgeEscalation: { position: number } }>(
      ACKNOWLEDGE_ESCALATION,
      { input: { partnershipId: escalation.partnershipId, escalationId: escalation.escalationId } },
      (r) => onAcknowledged(r.acknowledgeEscalation.position),
    );
  return (
    <div className="acknowledge">
      <button type="button" className="secondary" disabled={busy} onClick={acknowledge}>
        {t('acknowledge')}
      </button>
      {error && <ErrorBox error={error} />}
    </div>
  );
}

function DecisionForm({ escalation, onRecorded }: { escalation: Escalation; onRecorded: (position: number) => void }) {
  const { t, e } = useI18n();
  const { busy, error, send } = useSend();
  const [outcome, setOutcome] = useState(escalation.level === 'EXPECTED' || escalation.level === 'INFORM' ? 'NOTED' : 'APPROVED');
  const [rationale, setRationale] = useState('');
  const [conditions, setConditions] = useState('');
  const id = escalation.id.replace(/[^a-zA-Z0-9_-]/g, '_');

  const submit = (ev: FormEvent) => {
    ev.preventDefault();
    const input = {
      partnershipId: escalation.partnershipId,
      body: escalation.body,
      ...(escalation.requestId ? { requestId: escalation.requestId } : { escalationId: escalation.escalationId }),
      subject: escalation.subject,
      outcome,
      rationale: rationale.trim(),
      ...(outcome === 'CONDITIONAL'
        ? { conditions: conditions.split('\n').map((c) => c.trim()).filter(Boolean).map((description) => ({ description })) }
        : {}),
    };
    send<{ recordDecision: { position: number } }>(RECORD_DECISION, { input }, (r) => onRecorded(r.recordDecision.position));
  };

  return (
    <details className="decide">
      <summary>{t('recordDecision')}</summary>
      <form onSubmit={submit} aria-describedby={error ? `err-${id}` : undefined}>
        <fieldset>
          <legend>{t('outcome')}</legend>
          {['APPROVED', 'CONDITIONAL', 'REJECTED', 'NOTED'].map((o) => (
            <label key={o} className="check">
              <input type="radio" name={`outcome-${id}`} value={o} checked={outcome === o} onChange={() => setOutcome(o)} /> {e(o)}
            </label>
          ))}
        </fieldset>
        <label htmlFor={`rationale-${id}`}>{t('rationale')}</label>
        <textarea id={`rationale-${id}`} required rows={3} value={rationale} onChange={(ev) => setRationale(ev.target.value)} />
        {outcome === 'CONDITIONAL' && (
          <>
            <label htmlFor={`conditions-${id}`}>{t('conditions')}</label>
            <textarea id={`conditions-${id}`} rows={3} value={conditions} onChange={(ev) => setConditions(ev.target.value)} />
          </>
        )}
        {error && (
          <div id={`err-${id}`}>
            <ErrorBox error={error} />
          </div>
        )}
        <button type="submit" disabled={busy || rationale.trim() === ''}>
          {t('submitDecision')}
        </button>
      </form>
    </details>
  );
}

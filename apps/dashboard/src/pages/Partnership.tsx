import { useEffect, useState } from 'react';
import { type Session, gql, subscribe } from '../api';
import { ErrorBox, Heatmap, Loading, PhaseBadge, Signals, Strength } from '../components';
import { eventSummary } from '../event-summary';
import { useI18n } from '../i18n';
import { organisations } from '../organisations';
import { PARTNERSHIP, PARTNERSHIP_AT, PARTNERSHIP_CHANGED, type PartnershipDetail, type RecordedEvent } from '../queries';
import { hrefFor, useLive, useQuery, useSession } from '../state';

/** Time travel: the partnership as it stood at a revision of its stream (folded by the service from the event store). */
async function partnershipAt(session: Session, id: string, atRevision: number): Promise<PartnershipDetail | null> {
  return (await gql<{ view: PartnershipDetail | null }>(session, PARTNERSHIP_AT, { id, atRevision })).view;
}

interface Data {
  partnership: PartnershipDetail | null;
  partnershipHistory: { totalCount: number; nodes: RecordedEvent[] };
}

export function PartnershipPage({ id }: { id: string }) {
  const { t, e, dateTime } = useI18n();
  const session = useSession();
  const live = useLive();
  const [changed, setChanged] = useState(0);
  const [readAfter, setReadAfter] = useState<number>();
  const q = useQuery(() => gql<Data>(session, PARTNERSHIP, { id, position: readAfter }), [session, id, changed]);
  const orgs = useQuery(() => organisations(session), [session]);
  const history = q.data?.partnershipHistory.nodes ?? [];
  const latest = history[history.length - 1];
  /** The slider's position: null follows "now". */
  const [pinned, setPinned] = useState<number | null>(null);
  const index = pinned ?? Math.max(0, history.length - 1);
  const selected = history[index];
  const inPast = pinned !== null && selected !== undefined && latest !== undefined && selected.revision < latest.revision;

  // Live: this partnership's changes (catch-up from the revision shown, then live).
  const livePosition = q.data?.partnership?.position ?? undefined;
  useEffect(() => {
    if (!live.client || livePosition === undefined) return;
    return subscribe<{ partnershipChanged: { position: number } }>(live.client, PARTNERSHIP_CHANGED, { id, after: livePosition }, (d) => {
      setReadAfter(d.partnershipChanged.position);
      setChanged((n) => n + 1);
    });
  }, [live.client, id, livePosition]);

  const [debounced, setDebounced] = useState<number | null>(null);
  useEffect(() => {
    const h = setTimeout(() => setDebounced(inPast && selected ? selected.revision : null), 120);
    return () => clearTimeout(h);
  }, [inPast, selected]);
  const past = useQuery(
    () => (debounced === null ? Promise.resolve(null) : partnershipAt(session, id, debounced)),
    [session, id, debounced],
  );

  const view = inPast ? (past.data ?? null) : (q.data?.partnership ?? null);
  // What it holds (interests, ambition, pledges, governance) as the service folded it, at the same revision as `view`.
  const record = view?.record;
  const latestProgress = (goalId: string) => record?.goalProgress.filter((g) => g.goalId === goalId).at(-1);
  const orgName = (oid: string) => orgs.data?.find((o) => o.id === oid)?.name ?? oid;
  const deptName = (did: string) => orgs.data?.flatMap((o) => o.departments).find((d) => d.departmentId === did)?.name ?? did;

  if (q.error) return <div className="page"><ErrorBox error={q.error} retry={q.reload} /></div>;
  if (!q.data) return <div className="page"><Loading /></div>;
  if (!q.data.partnership) return <div className="page"><p>{t('notFound')}</p><a href={hrefFor({ page: 'portfolio' })}>{t('backToPortfolio')}</a></div>;
  const now = q.data.partnership;

  return (
    <div className="page partnership">
      <p><a href={hrefFor({ page: 'portfolio' })}>← {t('backToPortfolio')}</a></p>
      <h1>{now.name}</h1>

      <section className="card timeslider" aria-labelledby="tt-title">
        <h2 id="tt-title">{t('timeTravel')}</h2>
        <p className="muted" id="tt-help">{t('timeTravelHelp')}</p>
        <div className="slider-row">
          <input
            type="range"
            min={0}
            max={Math.max(0, history.length - 1)}
            step={1}
            value={index}
            aria-describedby="tt-help"
            aria-label={t('timeTravel')}
            aria-valuetext={selected ? `${t('revision')} ${selected.revision}, ${dateTime(selected.recordedAt)}, ${selected.type}` : ''}
            onChange={(ev) => {
              const i = Number(ev.target.value);
              setPinned(i >= history.length - 1 ? null : i);
            }}
            data-testid="time-slider"
          />
          <output data-testid="time-label">
            {selected ? `${t('revision')} ${selected.revision} · ${dateTime(selected.recordedAt)} · ${selected.type}` : ''}
            {!inPast && ` (${t('now')})`}
          </output>
          {inPast && (
            <button type="button" className="secondary" onClick={() => setPinned(null)}>
              {t('backToNow')}
            </button>
          )}
        </div>
        {inPast && (
          <p className="notice past" role="status" data-testid="showing-past">
            {t('showingPast')}: {t('asAt')} {dateTime(selected?.recordedAt)}
          </p>
        )}
      </section>

      {past.error && inPast && <ErrorBox error={past.error} retry={past.reload} />}
      {inPast && !past.data && !past.error && <Loading />}
      {view && (
        <div className={inPast ? 'as-of past' : 'as-of'} data-testid="partnership-view">
          <section className="card overview" aria-labelledby="ov-title">
            <h2 id="ov-title" className="visually-hidden">{now.name}</h2>
            <dl className="facts">
              <dt>{t('phase')}</dt>
              <dd data-testid="partnership-phase"><PhaseBadge phase={view.phase} /> <span className="muted">({view.daysInPhase} d)</span></dd>
              <dt>{t('theme')}</dt>
              <dd>{view.themeName ?? view.themeId}</dd>
              <dt>{t('legalForm')}</dt>
              <dd data-testid="partnership-legal-form">{e(view.legalForm)}</dd>
              <dt>{t('origin')}</dt>
              <dd>{e(view.origin)}{view.imposedBy ? ` (${view.imposedBy})` : ''} · {deptName(view.owningDepartmentId)}</dd>
              <dt>{t('ambitionStrength')}</dt>
              <dd><Strength value={view.ambitionStrength.strength} /></dd>
              <dt>{t('perspectives')}</dt>
              <dd><Heatmap health={view.health} /></dd>
              <dt>{t('signals')}</dt>
              <dd><Signals signals={view.signals} /></dd>
              <dt>{t('openEscalations')}</dt>
              <dd>
                {view.openEscalations.length === 0 ? t('none') : view.openEscalations.map((x) => (
                  <div key={x.escalationId}><span className={`level level-${x.level.toLowerCase()}`}>{e(x.level)}</span> {e(x.body)}: {x.subject}{x.overdue ? ` · ${t('overdue')}` : ''}</div>
                ))}
              </dd>
              {view.lastDecision && (
                <>
                  <dt>{t('lastDecision')}</dt>
                  <dd>{e(view.lastDecision.body)}: <strong>{e(view.lastDecision.outcome)}</strong>{view.lastDecision.subject ? ` — ${view.lastDecision.subject}` : ''} <span className="muted">({view.lastDecision.decidedBy}, {dateTime(view.lastDecision.at)})</span></dd>
                </>
              )}
              <dt>{t('description')}</dt>
              <dd>{view.description}</dd>
              {view.servesClients && (
                <>
                  <dt>{t('servesClients')}</dt>
                  <dd>{view.servesClients}</dd>
                </>
              )}
            </dl>
          </section>

          <section className="card" aria-labelledby="parties-title">
            <h2 id="parties-title">{t('parties')}</h2>
            <div className="table-wrap">
              <table>
                <thead><tr><th scope="col">{t('organisation')}</th><th scope="col">{t('delegate')}</th><th scope="col">{t('ambitionAtTable')}</th><th scope="col">{t('admitted')}</th></tr></thead>
                <tbody>
                  {view.parties.map((p) => (
                    <tr key={p.organisationId} className={p.active ? '' : 'inactive'}>
                      <th scope="row">{orgName(p.organisationId)} {!p.active && <span className="badge neutral">{t('withdrawn')}</span>}</th>
                      <td>{p.delegate.name}</td>
                      <td>{p.ambitionAtTable ?? '—'}</td>
                      <td>{dateTime(p.admittedAt)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </section>

          <section className="card" aria-labelledby="interests-title">
            <h2 id="interests-title">{t('interests')}</h2>
            <div className="kinds">
              {['COLLECTIVE', 'ORGANISATIONAL', 'INDIVIDUAL'].map((kind) => {
                const list = record?.interests.filter((i) => i.kind === kind) ?? [];
                return (
                  <div key={kind}>
                    <h3>{e(kind)} <span className="muted">({list.filter((i) => i.status === 'ACTIVE').length})</span></h3>
                    {list.length === 0 ? <p className="muted">{t('none')}</p> : (
                      <ul className="plain">
                        {list.map((i) => (
                          <li key={i.interestId} className={i.status !== 'ACTIVE' ? 'struck' : ''}>
                            <strong>{orgName(i.organisationId)}</strong>: {i.description}
                            {i.dealbreaker && <span className="badge warn">{t('dealbreaker')}</span>}
                            {i.status !== 'ACTIVE' && <span className="badge neutral">{i.status === 'LAPSED' ? t('lapsed') : t('withdrawn')}</span>}
                            {i.position && <div className="muted">{t('position')}: {i.position}</div>}
                            {i.lossIfNoCollaboration && <div className="muted">{t('lossIfNo')}: {i.lossIfNoCollaboration}</div>}
                          </li>
                        ))}
                      </ul>
                    )}
                  </div>
                );
              })}
            </div>
          </section>

          <section className="card" aria-labelledby="ambition-title">
            <h2 id="ambition-title">{t('ambition')}</h2>
            {!record?.ambition ? <p className="muted">{t('noAmbition')}</p> : (
              <>
                <blockquote>{record.ambition.statement}</blockquote>
                <p>{t('endorsedBy')}: {record.endorsedBy.map(orgName).join(', ') || t('none')}</p>
                <ul className="plain">
                  {record.ambition.goals.map((g) => (
                    <li key={g.goalId}>
                      <strong>{g.description}</strong>
                      {g.indicator && <> — {g.indicator}, {t('target')} {g.target}</>}
                      {g.question && <> — <em>{g.question}</em></>}
                      {latestProgress(g.goalId) && <span className="muted"> · {t('latest')}: {latestProgress(g.goalId)?.actual ?? '—'} ({dateTime(latestProgress(g.goalId)?.at)})</span>}
                    </li>
                  ))}
                </ul>
                {record.ambition.noGoAreas.length > 0 && <p>{t('noGoAreas')}: {record.ambition.noGoAreas.join('; ')}</p>}
              </>
            )}
          </section>

          <section className="card" aria-labelledby="contrib-title">
            <h2 id="contrib-title">{t('contributions')}</h2>
            {!record || record.pledges.length === 0 ? <p className="muted">{t('none')}</p> : (
              <ul className="plain">
                {record.pledges.map((p) => (
                  <li key={p.pledgeId}>
                    <strong>{orgName(p.organisationId)}</strong> {p.direction === 'BRING' ? t('brings') : t('takes')} {e(p.kind)}
                    {p.amount !== null ? ` (${p.amount})` : ''}: {p.description}
                    {p.deliveredAt !== null && <span className="badge ok">{t('delivered')}</span>}
                  </li>
                ))}
              </ul>
            )}
            {view.contributions.imbalance.imbalanced && (
              <p className="badge warn">{e('IMBALANCE')}{view.contributions.imbalance.byDesign ? ` (${t('byDesign')})` : ''}</p>
            )}
          </section>

          <section className="card" aria-labelledby="gov-title">
            <h2 id="gov-title">{t('governance')}</h2>
            {!record?.governance ? <p className="muted">{t('notDefined')} — {t('legalForm')}: {e(view.legalForm)}</p> : (
              <dl className="facts">
                <dt>{t('legalForm')}</dt><dd>{e(record.governance.legalForm)}</dd>
                <dt>{t('decisionRights')}</dt><dd>{record.governance.decisionRights ?? '—'}</dd>
                <dt>{t('taskAllocation')}</dt><dd>{record.governance.taskAllocation ?? '—'}</dd>
                <dt>{t('membership')}</dt><dd>{record.governance.membership ?? '—'}</dd>
                <dt>{t('costSplit')}</dt><dd>{record.governance.costAndRevenueSplit ?? '—'}</dd>
                <dt>{t('exit')}</dt>
                <dd>{record.governance.exitArrangements ? Object.values(record.governance.exitArrangements).filter(Boolean).join(' · ') : '—'}</dd>
              </dl>
            )}
            {view.networkRoles.length > 0 && (
              <p>{view.networkRoles.map((r) => `${r.role}: ${r.person.name} (${orgName(r.organisationId)})`).join(' · ')}</p>
            )}
          </section>
        </div>
      )}

      <section className="card" aria-labelledby="timeline-title">
        <h2 id="timeline-title">{t('timeline')} <span className="muted">({q.data.partnershipHistory.totalCount})</span></h2>
        <div className="table-wrap">
          <table className="timeline" data-testid="timeline">
            <thead><tr><th scope="col">#</th><th scope="col">{t('when')}</th><th scope="col">{t('what')}</th><th scope="col">{t('who')}</th></tr></thead>
            <tbody>
              {[...history].reverse().map((ev) => {
                const future = selected !== undefined && ev.revision > selected.revision;
                return (
                  <tr key={ev.id} className={future ? 'future' : ev.revision === selected?.revision ? 'current' : ''} title={future ? t('future') : undefined}>
                    <td className="num">{ev.revision}</td>
                    <td>{dateTime(ev.metadata.businessTime ?? ev.recordedAt)}</td>
                    <td><strong>{ev.type}</strong> <span className="muted">{eventSummary(ev, e)}</span></td>
                    <td>{ev.metadata.actor ? `${ev.metadata.actor.id}${ev.metadata.actor.role ? ` (${e(ev.metadata.actor.role)})` : ''}` : '—'}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      </section>
    </div>
  );
}

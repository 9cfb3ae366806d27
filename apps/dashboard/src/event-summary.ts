/** A one-line summary of an event for the timeline. */
export function eventSummary(ev: { type: string; data: Record<string, unknown> }, e: (v: string) => string): string {
  const d = ev.data;
  switch (ev.type) {
    case 'PhaseAdvanced':
    case 'PhasesSkipped':
    case 'PhaseReverted':
      return `${e(String(d.from))} → ${e(String(d.to))}`;
    case 'DecisionRecorded':
      return `${e(String(d.body))}: ${e(String(d.outcome))}${d.subject ? ` — ${String(d.subject)}` : ''}`;
    case 'EscalationRaised':
      return `${e(String(d.level))} → ${e(String(d.body))}: ${String(d.subject ?? '')}`;
    case 'ApprovalRequested':
      return `${e(String(d.body))}: ${String(d.subject ?? '')}`;
    case 'GovernanceDefined':
      return e(String(d.legalForm));
    case 'InterestDeclared':
      return `${e(String(d.kind))}: ${String(d.description ?? '')}`;
    case 'PartyAdmitted':
    case 'PartyWithdrawn':
    case 'AmbitionEndorsed':
      return String(d.organisationId ?? '');
    case 'DelegateReplaced':
      return `${(d.previous as { name?: string } | undefined)?.name ?? ''} → ${(d.delegate as { name?: string } | undefined)?.name ?? ''}`;
    case 'PartnershipProposed':
      return String(d.name ?? '');
    case 'EvaluationRecorded':
      return String(d.verdict ?? '');
    default:
      return '';
  }
}

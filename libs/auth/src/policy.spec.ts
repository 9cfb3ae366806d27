import { commandSchemas } from '@ppl/domain';
import { COMMAND_ROLES, authoriseCommand, authoriseRead, authoriseSubscription, mayReadPersonalData } from './policy';
import { ROLES, type Role } from './roles';

const as = (role: Role) => ({ id: `${role.toLowerCase()}-1`, role });

describe('the role matrix', () => {
  it('names every command of the domain', () => {
    for (const type of Object.keys(commandSchemas)) expect(COMMAND_ROLES[type]).toBeDefined();
  });

  it('lets AUDITOR and INTEGRATOR write nothing', () => {
    for (const type of Object.keys(commandSchemas)) {
      expect(() => authoriseCommand(as('AUDITOR'), type, {})).toThrow(expect.objectContaining({ code: 'FORBIDDEN' }));
      expect(() => authoriseCommand(as('INTEGRATOR'), type, {})).toThrow(expect.objectContaining({ code: 'FORBIDDEN' }));
    }
  });

  it('lets only BOARD record BOARD decisions and only EXECUTIVE executive ones; managers record staff and steering-group ones', () => {
    const decision = (body: string) => ({ body, outcome: 'APPROVED' });
    expect(() => authoriseCommand(as('BOARD'), 'RecordDecision', decision('BOARD'))).not.toThrow();
    for (const role of ROLES.filter((r) => r !== 'BOARD')) {
      expect(() => authoriseCommand(as(role), 'RecordDecision', decision('BOARD'))).toThrow(expect.objectContaining({ code: 'FORBIDDEN' }));
    }
    expect(() => authoriseCommand(as('EXECUTIVE'), 'RecordDecision', decision('EXECUTIVE'))).not.toThrow();
    expect(() => authoriseCommand(as('BOARD'), 'RecordDecision', decision('EXECUTIVE'))).toThrow();
    expect(() => authoriseCommand(as('MANAGER'), 'RecordDecision', decision('EXECUTIVE'))).toThrow();
    expect(() => authoriseCommand(as('MANAGER'), 'RecordDecision', decision('STAFF'))).not.toThrow();
  });

  it('lets only ADMIN forget a person', () => {
    for (const role of ROLES) {
      const attempt = () => authoriseCommand(as(role), 'ForgetPerson', {});
      if (role === 'ADMIN') expect(attempt).not.toThrow();
      else expect(attempt).toThrow();
    }
  });

  it('lets the board, the executive and ADMIN change the escalation rules (the domain keeps the board’s own rules the board’s)', () => {
    for (const type of ['SetEscalationRule', 'RemoveEscalationRule']) {
      for (const role of ROLES) {
        const attempt = () => authoriseCommand(as(role), type, {});
        if (['ADMIN', 'BOARD', 'EXECUTIVE'].includes(role)) expect(attempt).not.toThrow();
        else expect(attempt).toThrow();
      }
    }
  });

  it('lets MANAGER record within partnerships', () => {
    for (const type of ['ProposePartnership', 'DeclareInterest', 'AdvancePhase', 'RequestApproval']) {
      expect(() => authoriseCommand(as('MANAGER'), type, {})).not.toThrow();
    }
  });

  it('keeps integrity checks for auditors, lets integrators read the portfolio and subscribe, not see personal data', () => {
    expect(() => authoriseRead(as('AUDITOR'), 'verifyIntegrity')).not.toThrow();
    expect(() => authoriseRead(as('MANAGER'), 'verifyIntegrity')).toThrow();
    expect(() => authoriseRead(as('INTEGRATOR'), 'portfolio')).not.toThrow();
    expect(() => authoriseRead(as('INTEGRATOR'), 'auditTrail')).toThrow();
    expect(() => authoriseSubscription(as('INTEGRATOR'), 'events')).not.toThrow();
    expect(() => authoriseSubscription(as('INTEGRATOR'), 'somethingElse')).toThrow();
    expect(mayReadPersonalData(as('INTEGRATOR'))).toBe(false);
    expect(mayReadPersonalData(as('AUDITOR'))).toBe(true);
  });
});

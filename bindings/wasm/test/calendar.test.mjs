// The working calendar (工作日历).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newOffice, throwsOa } from './helpers.mjs';

test('get and set the weekly pattern, hours and zone', () => {
  const { office, s } = newOffice();
  const initial = office.getWorkCalendar(s);
  assert.deepEqual(initial.workingWeekdays, ['Mon', 'Tue', 'Wed', 'Thu', 'Fri']);
  assert.deepEqual(initial.hours[0], { start: '09:00:00', end: '12:00:00' });
  assert.equal(initial.utcOffset, '+08:00');

  const set = office.setWorkCalendar(s, {
    workingWeekdays: ['Tue', 'Mon', 'saturday'],
    hours: [{ start: '08:30', end: '12:00' }, { start: '13:00', end: '17:00' }],
    utcOffset: '+01:00',
  });
  assert.deepEqual(set.workingWeekdays, ['Mon', 'Tue', 'Sat'], 'weekdays come back in order');
  assert.deepEqual(office.getWorkCalendar(s), set);

  const e = throwsOa(() => office.setWorkCalendar(s, { workingWeekdays: [], hours: [{ start: '12:00', end: '09:00' }], utcOffset: '+25:00' }), 'validation');
  assert.deepEqual(e.fields.map((f) => f.path).sort(), ['hours[0].end', 'utcOffset', 'workingWeekdays']);
  throwsOa(() => office.setWorkCalendar(s, { workingWeekdays: ['Mon', 'Funday'], hours: [], utcOffset: '+08:00' }), 'validation', 'workingWeekdays[1]');
  throwsOa(() => office.setWorkCalendar(s, { workingWeekdays: ['Mon'], hours: [{ start: '9am', end: '17:00' }], utcOffset: '+08:00' }), 'validation', 'hours[0].start');
  throwsOa(() => office.setWorkCalendar(s, { workingWeekdays: ['Mon'], hours: [] }), 'validation', 'utcOffset');
});

test("anyone signed in learns today's date in the office's zone", () => {
  const { office, s, me } = newOffice();
  office.createPerson(s, { login: 'clerk', name: 'Clerk', dept: me.dept, initialPassword: 'first-pass-123' });
  const first = office.signIn('clerk', 'first-pass-123');
  office.changePassword(first, 'first-pass-123', 'clerk own passphrase');
  const clerk = office.signIn('clerk', 'clerk own passphrase');
  // The date at a fixed offset from UTC, read before and after asking (a midnight may pass).
  const dateAt = (hours) => new Date(Date.now() + hours * 3_600_000).toISOString().slice(0, 10);
  let before = dateAt(8);
  assert.ok([before, dateAt(8)].includes(office.today(clerk)), 'Beijing, the default zone');
  throwsOa(() => office.getWorkCalendar(clerk), 'permission_denied');

  office.setWorkCalendar(s, { ...office.getWorkCalendar(s), utcOffset: '-12:00' });
  before = dateAt(-12);
  assert.ok([before, dateAt(-12)].includes(office.today(clerk)));
});

test('holidays and make-up days shape deadlines in working time', () => {
  const { office, s } = newOffice();
  const year = office.setHolidays(s, 2026, ['2026-10-02', '2026-10-01'], ['2026-09-27']);
  assert.deepEqual(year, { year: 2026, holidays: ['2026-10-01', '2026-10-02'], makeupDays: ['2026-09-27'] });
  assert.deepEqual(office.listHolidays(s, 2026), year);
  assert.deepEqual(office.listHolidays(s, 2027), { year: 2027, holidays: [], makeupDays: [] });

  // Wednesday 30 September 2026, 10:00 in Beijing; 1 and 2 October are holidays, then a weekend.
  const due = office.addWorkingTime(s, '2026-09-30T02:00:00Z', { amount: 1, unit: 'days' });
  assert.equal(new Date(due).toISOString(), '2026-10-05T02:00:00.000Z');
  const inHours = office.addWorkingTime(s, '2026-09-30T02:00:00Z', { amount: 4, unit: 'hours' });
  assert.equal(new Date(inHours).toISOString(), '2026-09-30T07:30:00.000Z', '10:00 + 4 working hours, lunch skipped');

  const e = throwsOa(() => office.setHolidays(s, 2026, ['2025-12-31'], ['2026-03-01', '2026-03-01']), 'validation');
  assert.deepEqual(e.fields.map((f) => f.path), ['holidays[0]', 'makeupDays[1]']);
  throwsOa(() => office.setHolidays(s, 2026, ['2026-13-01'], []), 'validation', 'holidays[0]');
  throwsOa(() => office.setHolidays(s, 2026, '2026-10-01', []), 'validation', 'holidays');
  throwsOa(() => office.setHolidays(s, 1.5, [], []), 'validation', 'year');
  throwsOa(() => office.listHolidays(s, 10), 'validation', 'year');
  throwsOa(() => office.addWorkingTime(s, 'tomorrow', { amount: 1, unit: 'days' }), 'validation', 'start');
  // A `Date` is an instant too, and an invalid one is bad input named like any other.
  const fromDate = office.addWorkingTime(s, new Date('2026-09-30T02:00:00Z'), { amount: 1, unit: 'days' });
  assert.equal(fromDate, due);
  const invalid = throwsOa(() => office.addWorkingTime(s, new Date('not a day'), { amount: 1, unit: 'days' }), 'validation', 'start');
  assert.match(invalid.fields[0].reason, /invalid Date/);
  throwsOa(() => office.addWorkingTime(s, '2026-09-30T02:00:00Z', { amount: 1, unit: 'weeks' }), 'validation', 'unit');
  throwsOa(() => office.addWorkingTime(s, '2026-09-30T02:00:00Z', { amount: -1, unit: 'days' }), 'validation', 'amount');
});

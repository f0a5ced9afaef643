// The phone app's early requests (/m/): who is signed in, and — as soon as that is known — what
// their task list (我的任务) will read, while the app's scripts are still downloading. On a slow 4G
// phone that saves the round trips the task list would otherwise make after the scripts (~0.6 s
// each). The app takes each answer once by its URL (web/shared/early.ts; every useApi read looks
// there first); what it does not take is simply dropped. The reads repeat web/mobile/home-reads.ts
// in plain JS (this runs before any module); web/mobile/home-reads.test.ts holds the two together.
// Written into mobile.html at build (vite.config.ts) and allowed by its hash (server/web-csp.ts).
(function () {
  /** @type {Record<string, Promise<Response | null>>} */
  var early = {};
  globalThis.__ccEarly = early;
  /** @param {string} url */
  function ask(url) {
    var answer = fetch(url, { credentials: 'same-origin' }).catch(function () {
      return null;
    });
    early[url] = answer;
    return answer;
  }
  /** @param {Record<string, string>} params */
  function query(params) {
    var s = new URLSearchParams(params).toString();
    return s ? '?' + s : '';
  }
  /**
   * What 我的任务 reads for this user (web/mobile/home-reads.ts).
   * @param {{ permissions: string[]; unitId: number | null }} user
   * @param {number} now
   * @returns {string[]}
   */
  function homeReads(user, now) {
    /** @param {string} p */
    var can = function (p) {
      return user.permissions.indexOf(p) >= 0;
    };
    var urls = [];
    if (can('patrol.walk')) {
      urls.push('/api/grids');
      var open = 'reported,registered,dispatched,returned,submitted,deferred';
      urls.push('/api/problems' + query({ state: open, limit: '10', sort: 'createdAt' }));
      urls.push('/api/patrols' + query({ limit: '3' }));
    }
    if (can('problem.verify')) urls.push('/api/inspections/mine');
    if (can('problem.rectify') && user.unitId) {
      urls.push(
        '/api/problems' +
          query({
            state: 'dispatched,submitted',
            unitId: String(user.unitId),
            sort: 'deadline',
            order: 'asc',
            limit: '50',
          }),
      );
    }
    if (can('problem.report') && user.unitId) urls.push('/api/outreach/pairings');
    if (can('survey.collect')) urls.push('/api/survey-app/assignments');
    if (can('volunteer.serve')) {
      var hour = Math.floor(now / 3600000) * 3600000;
      urls.push(
        '/api/volunteer-activities' +
          query({
            from: new Date(hour - 86400000).toISOString(),
            to: new Date(hour + 30 * 86400000).toISOString(),
          }),
      );
    }
    if (can('serviceorder.take')) urls.push('/api/service-orders/tasks');
    return urls;
  }
  ask('/api/auth/me')
    .then(function (res) {
      return res && res.ok ? res.clone().json() : null;
    })
    .then(
      /** @param {{ user?: { permissions: string[]; unitId: number | null; mustChangePassword?: boolean } } | null} me */
      function (me) {
        if (me && me.user && !me.user.mustChangePassword)
          homeReads(me.user, Date.now()).forEach(function (url) {
            void ask(url);
          });
      },
    )
    .catch(function () {});
})();

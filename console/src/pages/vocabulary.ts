/** Barong's roles (the permissions table may hold more; the API refuses unknown ones in words). */
export const ROLES = ['superadmin', 'admin', 'accountant', 'compliance', 'support', 'technical', 'reporter', 'auditor', 'member', 'sa_maker'];
export const STATES = ['active', 'pending', 'banned', 'locked', 'deleted'];
export const VERBS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'ALL'];
export const PERMISSION_ACTIONS = ['ACCEPT', 'DROP', 'AUDIT'];
export const RESTRICTION_CATEGORIES = ['whitelist', 'maintenance', 'blacklist', 'blocklogin'];
export const RESTRICTION_SCOPES = ['all', 'ip', 'ip_subnet', 'continent', 'country'];
export const RESTRICTION_STATES = ['enabled', 'disabled'];
export const ACTIVITY_RESULTS = ['succeed', 'failed', 'denied'];

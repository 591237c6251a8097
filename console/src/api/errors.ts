/** Barong error codes in words. Anything not listed gets a sentence from its status. */
const SENTENCES: Record<string, string> = {
  'identity.session.invalid_params': 'The e-mail or password is wrong.',
  'identity.session.missing_otp': 'Enter the code from your authenticator app.',
  'identity.session.invalid_otp': 'That two-factor code is wrong or has expired.',
  'identity.session.banned': 'This account is banned.',
  'identity.session.deleted': 'This account has been deleted.',
  'identity.session.not_active': 'This account is not active yet.',
  'identity.session.too_many_attempts': 'Too many sign-in attempts. Wait a minute and try again.',
  'identity.session.missing_email': 'Enter your e-mail address.',
  'identity.session.missing_password': 'Enter your password.',
  'identity.session.not_found': 'You are already signed out.',
  'authz.invalid_session': 'Your session has ended. Please sign in again.',
  'authz.missing_csrf_token': 'Your session has ended. Please sign in again.',
  'authz.csrf_token_mismatch': 'Your session has ended. Please sign in again.',
  'authz.client_session_mismatch': 'Your session belongs to another browser. Please sign in again.',
  'authz.user_not_active': 'Your account is not active.',
  'authz.invalid_permission': 'Your role may not do this.',
  'authz.permission_denied': 'Your role may not do this.',
  'admin.ability.not_permitted': 'Your role may not do this.',
  'admin.user.doesnt_exist': 'There is no such user.',
  'admin.user.superadmin_change': 'Only a superadmin may change a superadmin (or grant that role).',
  'admin.user.update_himself': 'You cannot change your own account here.',
  'admin.user.enable_2fa': 'Only the user can turn two-factor authentication on.',
  'admin.user.state_no_change': 'The user already has that state.',
  'admin.user.otp_no_change': 'Two-factor authentication is already off.',
  'admin.user.role_no_change': 'The user already has that role.',
  'admin.user.email_no_change': 'The user already has that e-mail.',
  'role.doesnt_exist': 'That role does not exist in the permissions table.',
  'admin.label.doesnt_exist': 'There is no such label.',
  'key.taken': 'The user already has a label with that key.',
  'admin.user.missing_key': 'Enter a label key.',
  'admin.user.empty_key': 'Enter a label key.',
  'admin.user.missing_value': 'Enter a label value.',
  'admin.user.empty_value': 'Enter a label value.',
  'scope.inclusion': 'The scope must be public or private.',
  'admin.permissions.invalid_verb': 'The verb must be GET, POST, PUT, PATCH, DELETE, HEAD or ALL.',
  'admin.permissions.invalid_action': 'The action must be ACCEPT, DROP or AUDIT.',
  'admin.permission.role_doesnt_exist': 'That role has no permissions yet; new roles start from an existing one.',
  'admin.permission.doesnt_exist': 'That permission no longer exists.',
  'admin.permission.missing_path': 'Enter a path.',
  'admin.permission.empty_path': 'Enter a path.',
  'admin.permission.missing_role': 'Enter a role.',
  'admin.permission.empty_role': 'Enter a role.',
  'path.too_long': 'The path is too long.',
  'admin.restriction.invalid_scope': 'Choose a valid scope.',
  'admin.restriction.invalid_category': 'Choose a valid category.',
  'admin.restriction.invalid_state': 'Choose a valid state.',
  'admin.restriction.doesnt_exist': 'That restriction no longer exists.',
  'admin.restriction.missing_value': 'Enter a value.',
  'admin.restriction.empty_value': 'Enter a value.',
  'admin.restriction.non_integer_code': 'The code must be a whole number.',
  'value.invalid': 'That value does not fit the scope (an IP, a subnet, a country or a continent).',
  'value.taken': 'A restriction with that value already exists.',
  'code.invalid': 'The code must be an HTTP status between 400 and 599.',
  'admin.document.doesnt_exist': 'That document no longer exists.',
  'record.not_found': 'Not found.',
  invalid_limit: 'The page size is out of range.',
  non_positive_page: 'The page number must be positive.',
  'server.internal_error': 'The server failed. Try again, and tell an operator if it keeps happening.',
};

const BY_STATUS: Record<number, string> = {
  400: 'The request was not understood.',
  401: 'You are not allowed to do this.',
  403: 'You are not allowed to do this.',
  404: 'This feature or record is not available.',
  413: 'The upload is too large.',
  422: 'Some of the values are not valid.',
  429: 'Too many requests. Wait a little and try again.',
};

/** Codes that mean the session is gone: the console returns to sign-in. */
export const SESSION_ENDED = new Set(['authz.invalid_session', 'authz.missing_csrf_token', 'authz.csrf_token_mismatch', 'authz.client_session_mismatch']);

export function sentenceFor(code: string | undefined, status: number): string {
  if (code && SENTENCES[code]) return SENTENCES[code]!;
  if (code && /\.(missing|empty)_/.test(code)) return 'A required field is empty.';
  if (code && /\.non_(integer|string|boolean)_/.test(code)) return 'A field has the wrong kind of value.';
  if (code && /\.too_long$/.test(code)) return 'A value is too long.';
  if (status === 0) return 'The service cannot be reached. Check your connection.';
  return BY_STATUS[status] ?? (status >= 500 ? SENTENCES['server.internal_error']! : 'The request failed.');
}

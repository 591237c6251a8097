import { SetMetadata } from '@nestjs/common';
import { AppError } from '../http/app-error.js';

export type AbilityAction = 'read' | 'create' | 'update' | 'destroy' | 'manage';
export type AbilitySubject = 'Ability' | 'User' | 'Level' | 'Label' | 'Profile' | 'Activity' | 'APIKey' | 'Permission' | 'Restriction' | 'Document';

type RoleAbilities = Partial<Record<'read' | 'manage', AbilitySubject[]>>;

/** Barong's config/abilities.yml: the admin API's second layer, per role (`manage` implies every action). */
export const ADMIN_ABILITIES: Record<string, RoleAbilities> = {
  superadmin: { manage: ['Ability', 'User', 'Level', 'Label', 'Profile', 'Activity', 'APIKey', 'Permission', 'Restriction', 'Document'] },
  admin: { read: ['Activity', 'Permission'], manage: ['Ability', 'User', 'Level', 'Label', 'Profile', 'APIKey', 'Restriction', 'Document'] },
  technical: { read: ['Ability', 'User', 'Level', 'Label', 'Profile', 'Activity'], manage: ['APIKey', 'Restriction'] },
  accountant: { read: ['Ability', 'User', 'Level', 'Label', 'Profile', 'Activity'] },
  compliance: { read: ['Ability', 'Document'], manage: ['User', 'Level', 'Label', 'Profile'] },
  support: { read: ['Ability', 'Label', 'Level', 'Profile', 'Activity'], manage: ['User'] },
  reporter: { read: ['Ability', 'User', 'Level', 'Label', 'Profile', 'Activity'] },
  auditor: { read: ['Activity'] },
};

export function abilitiesOf(role: string): RoleAbilities {
  return ADMIN_ABILITIES[role] ?? {};
}

export function can(role: string, action: AbilityAction, subject: AbilitySubject): boolean {
  const a = abilitiesOf(role);
  if (a.manage?.includes(subject)) return true;
  return action === 'read' && !!a.read?.includes(subject);
}

/** Throws Barong's 401 admin.ability.not_permitted when the role lacks the ability. */
export function assertAbility(role: string, action: AbilityAction, subject: AbilitySubject): void {
  if (!can(role, action, subject)) throw AppError.unauthorized('admin.ability.not_permitted');
}

export const ABILITY_METADATA = 'auth:ability';

/**
 * The admin ability a route needs (Barong's abilities.yml, the admin API's second layer). The
 * guard checks it after the permissions table; a route without one is not an admin route.
 */
export const RequiresAbility = (action: AbilityAction, subject: AbilitySubject): MethodDecorator & ClassDecorator =>
  SetMetadata(ABILITY_METADATA, { action, subject } satisfies RequiredAbility);

/** An admin route open to every role the permissions table lets through (Barong's `GET admin/abilities`). */
export const NoAbilityRequired = (): MethodDecorator & ClassDecorator => SetMetadata(ABILITY_METADATA, 'none');

export type RequiredAbility = { action: AbilityAction; subject: AbilitySubject };
export type AbilityDeclaration = RequiredAbility | 'none';

// One menu entry per workflow the role may use. Unbuilt workflows have no entry.
import { AlertOutlined, ApartmentOutlined, AuditOutlined, CloudUploadOutlined, MessageOutlined, DashboardOutlined, ExperimentOutlined, FileSearchOutlined, MedicineBoxOutlined, NotificationOutlined, SafetyCertificateOutlined, ScanOutlined, TeamOutlined, UserSwitchOutlined } from '@ant-design/icons';
import type { ReactNode } from 'react';
import type { Permission } from '../api/types';

export interface MenuEntry {
  key: string;
  path: string;
  labelKey: string;
  icon: ReactNode;
  permission: Permission;
}

export const MENU: MenuEntry[] = [
  { key: 'residents', path: '/residents', labelKey: 'nav.residents', icon: <TeamOutlined />, permission: 'registry.read' },
  { key: 'places', path: '/places', labelKey: 'nav.places', icon: <ApartmentOutlined />, permission: 'registry.read' },
  // the area board (区域看板): every running campaign of a district or street; others see their
  // own campaign's board, and may still open /area for their own area
  { key: 'area', path: '/area', labelKey: 'area.menu', icon: <DashboardOutlined />, permission: 'testing.area' },
  { key: 'testing', path: '/testing', labelKey: 'testing.title', icon: <ExperimentOutlined />, permission: 'testing.read' },
  // the community's antigen desk: whoever acts on a positive (officers, grid workers); a volunteer
  // hands kits out but has no registry access to find the household in the console
  { key: 'antigen', path: '/antigen', labelKey: 'antigen.menu', icon: <MedicineBoxOutlined />, permission: 'antigen.report' },
  // notices to residents (通知): officers write them, grid workers read their area's reports
  { key: 'notices', path: '/notices', labelKey: 'notices.menu', icon: <NotificationOutlined />, permission: 'notices.read' },
  // risk zones (风险区域): the command center and the street declare and step down, communities,
  // grid workers, gates and volunteers read what is in force; the policies page hangs under it
  { key: 'zones', path: '/zones', labelKey: 'zones.menu', icon: <AlertOutlined />, permission: 'zones.read' },
  // personal code colours (码色): officers answer residents' appeals; the rules are read by everyone
  // who reads colours and edited by the administrator
  { key: 'colour-appeals', path: '/colour-appeals', labelKey: 'colours.appeals.menu', icon: <SafetyCertificateOutlined />, permission: 'codes.override' },
  { key: 'colour-rules', path: '/colour-rules', labelKey: 'colours.rules.menu', icon: <FileSearchOutlined />, permission: 'codes.read' },
  // the sampler's phone page: full screen, outside the console layout (it links back)
  { key: 'lane', path: '/lane', labelKey: 'lane.menu', icon: <ScanOutlined />, permission: 'testing.sample' },
  { key: 'import', path: '/import', labelKey: 'nav.import', icon: <CloudUploadOutlined />, permission: 'registry.import' },
  { key: 'accounts', path: '/accounts', labelKey: 'nav.accounts', icon: <UserSwitchOutlined />, permission: 'users.manage' },
  { key: 'audit', path: '/audit', labelKey: 'nav.audit', icon: <AuditOutlined />, permission: 'audit.read' },
  // the administrator's development SMS page (no SMS centre configured: nothing is sent)
  { key: 'devSms', path: '/dev-sms', labelKey: 'outbox.devSms.menu', icon: <MessageOutlined />, permission: 'outbox.devSms' },
];

/** can: what the signed-in user may do, as the server said (useAuth().can). */
export function menuFor(can: (p: Permission) => boolean): MenuEntry[] {
  return MENU.filter((m) => can(m.permission));
}

export function firstAllowedPath(can: (p: Permission) => boolean): string | undefined {
  return menuFor(can)[0]?.path;
}

/** The menu entry a path belongs to (/households/… is part of the residents workflow). */
export function entryForPath(pathname: string): MenuEntry | undefined {
  const first = pathname.split('/')[1] ?? '';
  const key = first === 'households' ? 'residents' : first;
  return MENU.find((m) => m.key === key);
}

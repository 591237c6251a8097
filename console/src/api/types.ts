export interface User {
  email: string | null;
  uid: string;
  role: string;
  level: number;
  otp: boolean;
  state: string;
  referral_uid?: string | null;
  data?: string | null;
  username?: string | null;
  created_at?: string;
  updated_at?: string;
}

export interface Label {
  key: string;
  value: string;
  scope: 'public' | 'private' | string;
  description?: string | null;
  created_at: string;
  updated_at: string;
}

export interface Profile {
  first_name?: string;
  last_name?: string;
  dob?: string;
  address?: string;
  postcode?: string;
  city?: string;
  country?: string;
  state?: string;
  metadata?: string;
  created_at?: string;
}

export interface Phone {
  country?: string;
  number?: string;
  validated_at?: string | null;
}

export interface DocumentEntry {
  upload: { url: string; type?: string };
  doc_type: string;
  doc_number?: string;
  doc_expire?: string;
  doc_category?: string;
  created_at: string;
}

export interface Comment {
  id: string;
  author_uid: string;
  title: string;
  data: string;
  created_at: string;
}

export interface UserWithKyc extends User {
  labels: Label[];
  profiles: Profile[];
  phones: Phone[];
  documents: DocumentEntry[];
  data_storages?: { title: string; data: string }[];
  comments?: Comment[];
}

export interface Activity {
  id: string;
  user_ip: string;
  user_ip_country?: string | null;
  user_agent: string;
  topic: string;
  action: string;
  result: string;
  data: string | null;
  created_at: string;
  user?: User | null;
  admin?: User | null;
  target?: User | null;
}

export interface ApiKey {
  kid: string;
  algorithm: string;
  scope: string[] | string;
  state: string;
  created_at: string;
  updated_at?: string;
}

export interface Permission {
  id: number;
  role: string;
  verb: string;
  path: string;
  action: string;
  topic: string | null;
  created_at: string;
  updated_at: string;
}

export interface Restriction {
  id: number;
  category: string;
  scope: string;
  value: string;
  code: number | null;
  state: string;
  created_at: string;
  updated_at: string;
}

export interface Metrics {
  signups: Record<string, number>;
  sucessful_logins: Record<string, number>;
  failed_logins: Record<string, number>;
  pending_applications: number;
}

export interface App {
  app_id: string;
  name: string;
  public_token: string;
  status: 'active' | 'disabled';
  created_at: string;
}

export interface BalanceCode {
  balance_code_id: string;
  balance_byte_count: number;
  start_time: string;
  end_time: string;
  redeem_time: string | null;
}

export type Abilities = { read?: string[]; manage?: string[] };

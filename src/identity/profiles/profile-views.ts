import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class ProfileView {
  @ApiProperty({ nullable: true, type: String }) first_name: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'Masked for users (S****) unless masking is off' }) last_name: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'Birth date; masked for users (1990-05-**)' }) dob: string | null;
  @ApiProperty({ nullable: true, type: String }) address: string | null;
  @ApiProperty({ nullable: true, type: String }) postcode: string | null;
  @ApiProperty({ nullable: true, type: String }) city: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'ISO 3166-1 alpha-2 or alpha-3' }) country: string | null;
  @ApiProperty({ enum: ['drafted', 'submitted', 'verified', 'rejected'] }) state: string;
  @ApiProperty({ nullable: true, type: Object, description: 'Additional fields (parsed JSON)' }) metadata: unknown;
  @ApiProperty() created_at: string;
  @ApiProperty() updated_at: string;
}

export class AdminProfileView extends ProfileView {
  @ApiPropertyOptional({ description: 'uid of the profile owner (admin API listing)' }) uid?: string;
}

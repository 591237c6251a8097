import { ApiProperty } from '@nestjs/swagger';
import { Required } from '../../core/http/validation.js';

export class CreateDataStorageDto {
  @ApiProperty({ description: 'One of the configured storage titles (BARONG_USER_STORAGE_TITLES)' })
  @Required('resource.datastorage')
  title: string;

  @ApiProperty({ description: 'JSON text, at most 5120 characters', example: '{"nationality":"UA"}' })
  @Required('resource.datastorage')
  data: string;
}

export class AdminDeleteDataStorageDto {
  @ApiProperty({ description: 'User uid' })
  @Required('admin.user')
  uid: string;

  @ApiProperty({ description: 'Storage title' })
  @Required('admin.user')
  title: string;
}

export class DataStorageView {
  @ApiProperty() title: string;
  @ApiProperty({ description: 'JSON text' }) data: string;
  @ApiProperty() created_at: string;
  @ApiProperty() updated_at: string;
}

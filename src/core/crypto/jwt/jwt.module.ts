import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { JwksController } from './jwks.controller.js';
import { JwtService } from './jwt.service.js';
import { SigningKey } from './signing-key.entity.js';

@Global()
@Module({
  imports: [TypeOrmModule.forFeature([SigningKey])],
  controllers: [JwksController],
  providers: [JwtService],
  exports: [JwtService],
})
export class JwtModule {}

import { Module } from '@nestjs/common';
import { SwaggerDocController } from './swagger-doc.controller.js';
import { SwaggerDocService } from './swagger-doc.service.js';

/** GET resource/swagger_doc[/:name]: the generated OpenAPI document as Barong serves its own. */
@Module({
  controllers: [SwaggerDocController],
  providers: [SwaggerDocService],
})
export class SwaggerDocModule {}

import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { OrganisationCommandHandler, PartnershipCommandHandler, StrategyCommandHandler } from './aggregate-handlers';
import { CommandGateway } from './command-gateway';

@Module({
  imports: [CqrsModule.forRoot()],
  providers: [OrganisationCommandHandler, StrategyCommandHandler, PartnershipCommandHandler, CommandGateway],
  exports: [CommandGateway, CqrsModule],
})
export class CommandsModule {}

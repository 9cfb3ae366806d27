import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { OrganisationCommandHandler, PartnershipCommandHandler, PersonCommandHandler, StrategyCommandHandler } from './aggregate-handlers';
import { CommandGateway } from './command-gateway';
import { PersonalDataModule } from './personal-data.module';

@Module({
  imports: [CqrsModule.forRoot(), PersonalDataModule],
  providers: [OrganisationCommandHandler, StrategyCommandHandler, PartnershipCommandHandler, PersonCommandHandler, CommandGateway],
  exports: [CommandGateway, CqrsModule, PersonalDataModule],
})
export class CommandsModule {}

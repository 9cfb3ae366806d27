import { Module } from '@nestjs/common';
import { CommandsModule } from '@ppl/commands';
import { ReviewScheduler } from './review-scheduler';

@Module({ imports: [CommandsModule], providers: [ReviewScheduler], exports: [ReviewScheduler] })
export class ReviewModule {}

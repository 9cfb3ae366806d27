import { Query, Resolver } from '@nestjs/graphql';

@Resolver('Query')
export class ServiceInfoResolver {
  @Query('service')
  service(): { name: string; version: string } {
    return { name: 'partnership-portfolio-ledger', version: process.env.npm_package_version ?? '0.1.0' };
  }
}

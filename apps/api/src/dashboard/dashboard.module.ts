import { Module } from '@nestjs/common';
import { ServeStaticModule } from '@nestjs/serve-static';
import { dashboardDistPath } from './dashboard-files';
import { DevSignInController } from './dev-sign-in.controller';

/**
 * The board's web page (built from `apps/dashboard` into `apps/dashboard/dist`) served at `/`;
 * GraphQL, health, metrics and the development sign-in keep their own routes.
 */
@Module({
  imports: [
    ServeStaticModule.forRoot({
      rootPath: dashboardDistPath(),
      exclude: ['/graphql{/*rest}', '/health{/*rest}', '/metrics{/*rest}', '/dev{/*rest}'],
      serveStaticOptions: { index: 'index.html', maxAge: 0 },
    }),
  ],
  controllers: [DevSignInController],
})
export class DashboardModule {}

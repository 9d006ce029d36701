export * from './users';
export * from './orgs';
export * from './personas';
export * from './tools';
export * from './modules';
export * from './learning';
export * from './dashboards';
export * from './outreach';

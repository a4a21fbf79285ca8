// Parameters of a deployment: `az deployment group create -g <rg> --parameters infra/main.bicepparam`.
// The ClickHouse connection string is read from the deploying shell's environment, so it is never written to a file.
using 'main.bicep'

param name = 'costops'
param hostingPlan = 'FlexConsumption'
param clickHouseConnectionString = readEnvironmentVariable('COSTOPS_CLICKHOUSE_CONNECTION_STRING')
param clickHouseDatabase = 'costops'
param eventHubPartitions = 4

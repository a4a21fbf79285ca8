// Parameters of a deployment: `az deployment group create -g <rg> --parameters infra/main.bicepparam`.
// The ClickHouse connection string is read from the deploying shell's environment, so it is never written to a file.
using 'main.bicep'

param name = 'costops'
param hostingPlan = 'FlexConsumption'
param clickHouseConnectionString = readEnvironmentVariable('COSTOPS_CLICKHOUSE_CONNECTION_STRING')
param clickHouseDatabase = 'costops'
// The key-ring wrapping key (docs/deploy.md, step 2): set COSTOPS_KEYRING_WRAPPING_KEY=$(openssl rand -base64 32) for the
// first deployment and to rotate; unset, the secret in the vault is left as it is.
param keyRingWrappingKey = readEnvironmentVariable('COSTOPS_KEYRING_WRAPPING_KEY', '')
param eventHubPartitions = 4

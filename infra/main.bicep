// CostOps on Azure: the Functions app and what it needs around it (docs/deploy.md walks through a deployment).
// ClickHouse is not deployed here: it is ClickHouse Cloud or a cluster of your own (infra/clickhouse/), and its
// connection string arrives as a secure parameter that only ever lands in Key Vault.
targetScope = 'resourceGroup'

@description('Short name used in every resource name (lowercase letters and digits).')
@minLength(3)
@maxLength(11)
param name string = 'costops'

@description('Region of every resource.')
param location string = resourceGroup().location

@description('Hosting plan. FlexConsumption scales to zero; Premium (EP1) keeps an instance warm, which the always-on Event Hubs processor (a hosted service, not a trigger) needs to read continuously.')
@allowed([
  'FlexConsumption'
  'Premium'
])
param hostingPlan string = 'FlexConsumption'

@description('ClickHouse.Driver connection string of the server (read-write user that runs ingestion and migrations). Stored in Key Vault only.')
@secure()
param clickHouseConnectionString string

@description('ClickHouse database holding the CostOps tables.')
param clickHouseDatabase string = 'costops'

@description('A new version of the secret that wraps the Data Protection key ring (stored credentials are encrypted under the ring): 32 random bytes, base64 (openssl rand -base64 32). Give it on the first deployment and to rotate; empty leaves the secret as it is.')
@secure()
param keyRingWrappingKey string = ''

@description('Optional: a StackExchange.Redis configuration string (host:6380,password=...,ssl=true) of a Redis with persistence (Azure Managed Redis or Azure Cache for Redis) for the admission ledger (docs/budgets.md, "Ledgers"). Stored in Key Vault only; empty keeps the ledger in Azure Tables.')
@secure()
param admissionRedis string = ''

@description('Webhook signing secrets by receiver name (optional), kept in Key Vault as webhook-<name> for operators to hand to budget definitions.')
@secure()
param webhookSecrets object = {}

@description('Event Hubs partitions: the ceiling of parallel readers (one processor instance per partition at most).')
@minValue(1)
@maxValue(32)
param eventHubPartitions int = 4

@description('Days Event Hubs keeps events, i.e. how long ingestion can be down without losing data.')
@minValue(1)
@maxValue(7)
param eventHubRetentionDays int = 7

@description('Schedules (NCRONTAB with seconds) of the timer functions.')
param budgetSchedule string = '0 */5 * * * *'
param alertDeliverySchedule string = '30 * * * * *'
param recommendationsSchedule string = '0 0 6 * * *'
param priceRefreshSchedule string = '0 */10 * * * *'
param rollupRepairSchedule string = '0 */10 * * * *'

@description('Tags on every resource.')
param tags object = {
  app: 'costops'
}

// uniqueString keeps globally unique names (storage, vault, app) stable across redeployments of one resource group.
var suffix = take(uniqueString(resourceGroup().id, name), 6)
var baseName = '${name}${suffix}'

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    baseName: baseName
    location: location
    tags: tags
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  params: {
    baseName: baseName
    location: location
    tags: tags
  }
}

module eventHubs 'modules/eventhubs.bicep' = {
  name: 'eventhubs'
  params: {
    baseName: baseName
    location: location
    tags: tags
    partitionCount: eventHubPartitions
    retentionDays: eventHubRetentionDays
  }
}

module keyVault 'modules/keyvault.bicep' = {
  name: 'keyvault'
  params: {
    baseName: baseName
    location: location
    tags: tags
    clickHouseConnectionString: clickHouseConnectionString
    keyRingWrappingKey: keyRingWrappingKey
    admissionRedis: admissionRedis
    webhookSecrets: webhookSecrets
    eventHubNamespaceName: eventHubs.outputs.namespaceName
    eventHubName: eventHubs.outputs.hubName
    listenRuleName: eventHubs.outputs.listenRuleName
  }
}

module functionApp 'modules/functionapp.bicep' = {
  name: 'functionapp'
  params: {
    baseName: baseName
    location: location
    tags: tags
    hostingPlan: hostingPlan
    storageAccountName: storage.outputs.accountName
    deploymentContainerName: storage.outputs.deploymentContainerName
    appInsightsConnectionString: monitoring.outputs.appInsightsConnectionString
    keyVaultUri: keyVault.outputs.vaultUri
    clickHouseSecretName: keyVault.outputs.clickHouseSecretName
    eventHubsSecretName: keyVault.outputs.eventHubsSecretName
    keyRingWrappingSecretName: keyVault.outputs.keyRingWrappingSecretName
    admissionRedisSecretName: empty(admissionRedis) ? '' : keyVault.outputs.admissionRedisSecretName
    clickHouseDatabase: clickHouseDatabase
    eventHubName: eventHubs.outputs.hubName
    consumerGroup: eventHubs.outputs.consumerGroupName
    budgetSchedule: budgetSchedule
    alertDeliverySchedule: alertDeliverySchedule
    recommendationsSchedule: recommendationsSchedule
    priceRefreshSchedule: priceRefreshSchedule
    rollupRepairSchedule: rollupRepairSchedule
  }
}

module roles 'modules/roles.bicep' = {
  name: 'roles'
  params: {
    principalId: functionApp.outputs.principalId
    storageAccountName: storage.outputs.accountName
    eventHubNamespaceName: eventHubs.outputs.namespaceName
    eventHubName: eventHubs.outputs.hubName
    keyVaultName: keyVault.outputs.vaultName
  }
}

output functionAppName string = functionApp.outputs.appName
output functionAppHostName string = functionApp.outputs.defaultHostName
output eventHubNamespace string = eventHubs.outputs.namespaceName
output eventHubName string = eventHubs.outputs.hubName
output keyVaultName string = keyVault.outputs.vaultName
output storageAccountName string = storage.outputs.accountName

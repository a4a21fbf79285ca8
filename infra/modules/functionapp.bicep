// The CostOps Functions app (isolated worker, .NET 10) with a system-assigned identity. Settings are named exactly as
// the app binds them (ClickHouse__*, Tables__*, EventHubs__*, schedules, Webhooks__Mode); secrets are Key Vault
// references, resolved by the platform with the app's identity, so no secret value is in the site configuration.
param baseName string
param location string
param tags object

@allowed([
  'FlexConsumption'
  'Premium'
])
param hostingPlan string

param storageAccountName string
param deploymentContainerName string
param appInsightsConnectionString string
param keyVaultUri string
param clickHouseSecretName string
param eventHubsSecretName string
param keyRingWrappingSecretName string
@description('The Key Vault secret of the admission ledger\'s Redis; empty: the ledger stays in Azure Tables.')
param admissionRedisSecretName string
param clickHouseDatabase string
param eventHubName string
param consumerGroup string
param budgetSchedule string
param alertDeliverySchedule string
param recommendationsSchedule string
param priceRefreshSchedule string
param rollupRepairSchedule string

var isFlex = hostingPlan == 'FlexConsumption'

resource storageAccount 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}

var tableEndpoint = storageAccount.properties.primaryEndpoints.table
var blobEndpoint = storageAccount.properties.primaryEndpoints.blob

// Settings both plans share. The host's own storage goes through the identity (AzureWebJobsStorage__accountName),
// because the account has shared keys turned off.
var commonSettings = [
  {
    name: 'AzureWebJobsStorage__accountName'
    value: storageAccount.name
  }
  {
    name: 'APPLICATIONINSIGHTS_CONNECTION_STRING'
    value: appInsightsConnectionString
  }
  {
    name: 'ClickHouse__ConnectionString'
    value: '@Microsoft.KeyVault(SecretUri=${keyVaultUri}secrets/${clickHouseSecretName}/)'
  }
  {
    name: 'ClickHouse__Database'
    value: clickHouseDatabase
  }
  {
    // An endpoint rather than a connection string: the Tables client then authenticates with the managed identity.
    name: 'Tables__Endpoint'
    value: tableEndpoint
  }
  {
    name: 'Tables__TablePrefix'
    value: 'costops'
  }
  {
    // The processor (EventProcessor<T>) takes a connection string; it is the hub-scoped Listen rule's, from the vault.
    name: 'EventHubs__ConnectionString'
    value: '@Microsoft.KeyVault(SecretUri=${keyVaultUri}secrets/${eventHubsSecretName}/)'
  }
  {
    name: 'EventHubs__HubName'
    value: eventHubName
  }
  {
    name: 'EventHubs__ConsumerGroup'
    value: consumerGroup
  }
  {
    name: 'BudgetSchedule'
    value: budgetSchedule
  }
  {
    name: 'AlertDeliverySchedule'
    value: alertDeliverySchedule
  }
  {
    name: 'RecommendationsSchedule'
    value: recommendationsSchedule
  }
  {
    name: 'PriceRefreshSchedule'
    value: priceRefreshSchedule
  }
  {
    name: 'RollupRepairSchedule'
    value: rollupRepairSchedule
  }
  {
    name: 'Webhooks__Mode'
    value: 'Production'
  }
  {
    // The Data Protection key ring is kept in Tables (no plan shares a folder across instances reliably: Flex has none)
    // and each of its keys is wrapped under this secret's newest version; a URI without a version, read by the app.
    name: 'Security__KeyRingWrappingSecretUri'
    value: '${keyVaultUri}secrets/${keyRingWrappingSecretName}'
  }
]

// Admission's ledger in Redis, only when one was given (docs/budgets.md, "Ledgers").
var admissionSettings = empty(admissionRedisSecretName) ? [] : [
  {
    name: 'Admission__Redis'
    value: '@Microsoft.KeyVault(SecretUri=${keyVaultUri}secrets/${admissionRedisSecretName}/)'
  }
]

// Premium runs the classic site model, which still reads the worker runtime from an app setting. It also runs from
// the deployed zip package: the usual Azure Files content share would need a storage key, and the account has none.
var premiumSettings = [
  {
    name: 'WEBSITE_RUN_FROM_PACKAGE'
    value: '1'
  }
  {
    name: 'FUNCTIONS_EXTENSION_VERSION'
    value: '~4'
  }
  {
    name: 'FUNCTIONS_WORKER_RUNTIME'
    value: 'dotnet-isolated'
  }
]

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: 'asp-${baseName}'
  location: location
  tags: tags
  kind: isFlex ? 'functionapp' : 'elastic'
  sku: isFlex
    ? {
        name: 'FC1'
        tier: 'FlexConsumption'
      }
    : {
        name: 'EP1'
        tier: 'ElasticPremium'
      }
  properties: {
    reserved: true
    // Premium: one instance is always warm so the Event Hubs processor keeps reading between HTTP requests.
    maximumElasticWorkerCount: isFlex ? null : 10
  }
}

resource app 'Microsoft.Web/sites@2024-04-01' = {
  name: 'func-${baseName}'
  location: location
  tags: tags
  kind: 'functionapp,linux'
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    // Key Vault references resolve with the system-assigned identity (the default), once Key Vault Secrets User is granted.
    keyVaultReferenceIdentity: 'SystemAssigned'
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      alwaysOn: false
      // Flex takes its runtime from functionAppConfig below; Premium from linuxFxVersion.
      linuxFxVersion: isFlex ? null : 'DOTNET-ISOLATED|10.0'
      minimumElasticInstanceCount: isFlex ? null : 1
      appSettings: concat(commonSettings, admissionSettings, isFlex ? [] : premiumSettings)
    }
    functionAppConfig: isFlex
      ? {
          deployment: {
            storage: {
              type: 'blobContainer'
              value: '${blobEndpoint}${deploymentContainerName}'
              authentication: {
                type: 'SystemAssignedIdentity'
              }
            }
          }
          scaleAndConcurrency: {
            maximumInstanceCount: 40
            instanceMemoryMB: 2048
            // One instance kept ready: the Event Hubs processor is a hosted service and only reads while an instance runs.
            alwaysReady: [
              {
                name: 'http'
                instanceCount: 1
              }
            ]
          }
          runtime: {
            name: 'dotnet-isolated'
            version: '10.0'
          }
        }
      : null
  }
}

output appName string = app.name
output defaultHostName string = app.properties.defaultHostName
output principalId string = app.identity.principalId

// Secrets the app needs and must not hold in plain app settings: the ClickHouse connection string, the Event Hubs
// listen connection string, the key that wraps the Data Protection key ring, and webhook signing secrets. Access is by Azure RBAC (Key Vault Secrets User for the app).
param baseName string
param location string
param tags object

@secure()
param clickHouseConnectionString string

@description('A new version of the key-ring wrapping secret (32 random bytes, base64); empty leaves the secret as it is.')
@secure()
param keyRingWrappingKey string

@description('The admission ledger\'s Redis configuration string; empty: no secret (the ledger stays in Azure Tables).')
@secure()
param admissionRedis string

@description('Webhook signing secrets by receiver name. The app keeps each budget secret with the budget (Azure Tables); the vault keeps the operator copy to hand to receivers and to budget definitions, never a plain-text file.')
@secure()
param webhookSecrets object

param eventHubNamespaceName string
param eventHubName string
param listenRuleName string

var clickHouseSecretName = 'clickhouse-connection-string'
var eventHubsSecretName = 'eventhubs-connection-string'
var keyRingWrappingSecretName = 'keyring-wrapping-key'

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: take('kv-${baseName}', 24)
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 30
    enablePurgeProtection: true
  }
}

resource namespace 'Microsoft.EventHub/namespaces@2024-01-01' existing = {
  name: eventHubNamespaceName
}

resource hub 'Microsoft.EventHub/namespaces/eventhubs@2024-01-01' existing = {
  parent: namespace
  name: eventHubName
}

resource listenRule 'Microsoft.EventHub/namespaces/eventhubs/authorizationRules@2024-01-01' existing = {
  parent: hub
  name: listenRuleName
}

resource clickHouseSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: clickHouseSecretName
  properties: {
    value: clickHouseConnectionString
    contentType: 'ClickHouse.Driver connection string'
  }
}

// Copied from the rule's keys at deployment time, so the key never passes through a parameter or an output.
resource eventHubsSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: eventHubsSecretName
  properties: {
    value: listenRule.listKeys().primaryConnectionString
    contentType: 'Event Hubs connection string (Listen, one hub)'
  }
}

// The app reads it itself (not as a Key Vault reference): it needs each version it ever wrapped a ring key under, and
// records that version beside the key, so a new version (rotation) leaves older keys readable. Only a deployment that
// is given a value writes a version: redeploying without one must not replace the key the ring is wrapped under.
resource keyRingWrappingSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(keyRingWrappingKey)) {
  parent: vault
  name: keyRingWrappingSecretName
  properties: {
    value: keyRingWrappingKey
    contentType: 'AES-256 key, base64: wraps the CostOps Data Protection key ring (Security__KeyRingWrappingSecretUri)'
  }
}

var admissionRedisSecretName = 'admission-redis'

resource admissionRedisSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(admissionRedis)) {
  parent: vault
  name: admissionRedisSecretName
  properties: {
    value: admissionRedis
    contentType: 'StackExchange.Redis configuration string of the admission ledger (Admission__Redis)'
  }
}

resource webhookSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = [for receiver in items(webhookSecrets): {
  parent: vault
  name: 'webhook-${receiver.key}'
  properties: {
    value: receiver.value
    contentType: 'HMAC signing secret of a generic webhook receiver'
  }
}]

output vaultName string = vault.name
output vaultUri string = vault.properties.vaultUri
output clickHouseSecretName string = clickHouseSecret.name
output eventHubsSecretName string = eventHubsSecret.name
output keyRingWrappingSecretName string = keyRingWrappingSecretName
@description('Written only when a Redis was given (main.bicep passes the name on only then).')
output admissionRedisSecretName string = admissionRedisSecretName

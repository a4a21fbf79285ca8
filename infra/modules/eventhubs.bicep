// The hub producers write usage events to (APIM policy, gateways, apps), with a consumer group of CostOps' own so
// other readers (archival, analytics) never move its checkpoints.
param baseName string
param location string
param tags object
param partitionCount int
param retentionDays int

resource namespace 'Microsoft.EventHub/namespaces@2024-01-01' = {
  name: 'evhns-${baseName}'
  location: location
  tags: tags
  sku: {
    // Standard: consumer groups beyond $Default and 7-day retention need it.
    name: 'Standard'
    tier: 'Standard'
    capacity: 1
  }
  properties: {
    minimumTlsVersion: '1.2'
  }
}

resource hub 'Microsoft.EventHub/namespaces/eventhubs@2024-01-01' = {
  parent: namespace
  name: 'usage'
  properties: {
    partitionCount: partitionCount
    messageRetentionInDays: retentionDays
  }
}

resource consumerGroup 'Microsoft.EventHub/namespaces/eventhubs/consumergroups@2024-01-01' = {
  parent: hub
  name: 'costops'
}

// Listen-only, scoped to the one hub: the processor takes a connection string (EventHubs__ConnectionString), and
// this is the narrowest one there is. Producers get their own Send rule or an Event Hubs Data Sender role.
resource listenRule 'Microsoft.EventHub/namespaces/eventhubs/authorizationRules@2024-01-01' = {
  parent: hub
  name: 'costops-listen'
  properties: {
    rights: [
      'Listen'
    ]
  }
}

output namespaceName string = namespace.name
output hubName string = hub.name
output consumerGroupName string = consumerGroup.name
output listenRuleName string = listenRule.name

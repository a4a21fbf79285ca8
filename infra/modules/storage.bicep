// One storage account: Azure Tables (prices, budgets, alert state and outbox, Event Hubs checkpoints), the Functions
// host's own state (timer leases), and the Flex Consumption deployment package. Shared keys are off: everything,
// the host included, reaches it with the app's managed identity.
@minLength(3)
param baseName string
param location string
param tags object

var deploymentContainerName = 'app-package'

resource account 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: take('st${baseName}', 24)
  location: location
  tags: tags
  sku: {
    name: 'Standard_LRS'
  }
  kind: 'StorageV2'
  properties: {
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    allowBlobPublicAccess: false
    allowSharedKeyAccess: false
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: account
  name: 'default'
}

resource deploymentContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: deploymentContainerName
}

// The app creates its tables on first use; the service resource makes the Tables endpoint explicit in the template.
resource tableService 'Microsoft.Storage/storageAccounts/tableServices@2023-05-01' = {
  parent: account
  name: 'default'
}

output accountName string = account.name
output deploymentContainerName string = deploymentContainer.name
output tableServiceName string = tableService.name

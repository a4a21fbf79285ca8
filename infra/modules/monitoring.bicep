// Application Insights on a Log Analytics workspace (workspace-based: classic resources are retired).
param baseName string
param location string
param tags object

@description('Days logs are kept; 30 is the free retention of the workspace.')
param retentionDays int = 30

resource workspace 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: 'log-${baseName}'
  location: location
  tags: tags
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: retentionDays
  }
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: 'appi-${baseName}'
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: workspace.id
    // Local auth stays on: the app sends telemetry with the connection string setting. Entra-only ingestion would
    // also need the Monitoring Metrics Publisher role and an extra host setting, for no gain in this deployment.
    DisableLocalAuth: false
  }
}

output appInsightsConnectionString string = appInsights.properties.ConnectionString

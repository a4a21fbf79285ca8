using CostOps.Infrastructure;
using CostOps.Infrastructure.Hosting;
using CostOps.Infrastructure.Telemetry;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.AddCostOps().Services.AddCostOpsStartup();
// Where telemetry is exported (in Azure: APPLICATIONINSIGHTS_CONNECTION_STRING, set by the Bicep), the worker's span per
// invocation joins CostOps' own, and carries the Functions resource attributes.
if (TelemetryOptions.Exports(builder.Configuration)) builder.Services.AddOpenTelemetry().UseFunctionsWorkerDefaults();
builder.Build().Run();

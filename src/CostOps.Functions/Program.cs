using CostOps.Infrastructure;
using CostOps.Infrastructure.Hosting;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.AddCostOps().Services.AddCostOpsStartup();
builder.Build().Run();

using Workplace.McpApi.Auth;
using Workplace.McpApi.Caching;
using Workplace.McpApi.Connect;
using Workplace.McpApi.Mcp;
using Workplace.McpApi.Rest;
using Workplace.McpApi.Search;
using Workplace.McpApi.Tools;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddCaching();
builder.AddWorkplaceAuth();
builder.AddMcpSurface();
builder.AddSearch();
builder.AddConnectFlow();
builder.AddToolsOpenApi();

var app = builder.Build();

app.UseWorkplaceAuth();
app.MapDefaultEndpoints();
app.MapMcpEndpoint("/mcp");
app.MapToolsApi();
app.MapConnectFlow();
app.MapOpenApi();

app.Run();

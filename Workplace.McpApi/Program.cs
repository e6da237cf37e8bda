using Workplace.McpApi.Auth;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddWorkplaceAuth();

var app = builder.Build();

app.UseWorkplaceAuth();
app.MapDefaultEndpoints();

app.Run();

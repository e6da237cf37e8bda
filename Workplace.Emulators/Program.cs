using Workplace.Emulators.Descope;
using Workplace.Emulators.Faults;
using Workplace.Emulators.Google;
using Workplace.Emulators.Graph;
using Workplace.Emulators.Notion;
using Workplace.Emulators.Oidc;

// The providers Workplace reaches (and Descope, which can hold users' provider tokens), emulated on their real wire
// formats with a sample workspace of Halcyon Robotics, and an OIDC issuer: one app, one port, one path base each. The
// AppHost starts it in Development when no real provider is configured; the tests start it in process.
var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddFaults();
builder.AddGoogleEmulator();
builder.AddGraphEmulator();
builder.AddNotionEmulator();
builder.AddOidcEmulator();
builder.AddDescopeEmulator();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapFaultAdmin();
app.MapGoogleEmulator();
app.MapGraphEmulator();
app.MapNotionEmulator();
app.MapOidcEmulator();
app.MapDescopeEmulator();

app.Run();

using Microsoft.AspNetCore.Authorization;
using Microsoft.OpenApi;
using Provisioner.Api.Security;
using Scalar.AspNetCore;

namespace Provisioner.Api.OpenApi;

/// <summary>
/// The OpenAPI document at <c>/openapi/v1.json</c> and its reference page at <c>/docs</c>, both public (anonymous, under
/// the anonymous rate limit): what the API accepts is no secret, and a client generator or a new user needs it before
/// they hold a key. The document names both ways to send a key, declares them on every operation that needs one, and
/// lists every problem each operation can answer with its stable codes.
/// </summary>
internal static class ProvisionerOpenApi
{
    public const string DocumentPath = "/openapi/v1.json";
    public const string ReferencePath = "/docs";
    public const string BearerScheme = "Bearer";
    public const string ApiKeyScheme = "ApiKey";

    public static IServiceCollection AddProvisionerOpenApi(this IServiceCollection services) =>
        services.AddOpenApi(options =>
        {
            options.AddDocumentTransformer((document, context, _) =>
            {
                DescribeDocument(document);
                ProblemSchemas.AddTo(document);
                CreateInstanceShapes.AddTo(document);
                foreach (var description in context.DescriptionGroups.SelectMany(g => g.Items))
                {
                    var metadata = description.ActionDescriptor.EndpointMetadata;
                    var name = metadata.OfType<IEndpointNameMetadata>().FirstOrDefault()?.EndpointName;
                    if (name is null || Find(document, name) is not { } operation)
                    {
                        continue;
                    }

                    var needsKey = metadata.OfType<IAuthorizeData>().Any() && !metadata.OfType<IAllowAnonymous>().Any();
                    if (needsKey)
                    {
                        DeclareSecurity(document, operation, metadata.OfType<IAuthorizeData>().Any(a => a.Policy == Policies.Admin));
                    }

                    ProblemSchemas.Declare(document, operation, name, needsKey, hasBody: description.ParameterDescriptions.Any(p => p.Source.Id == "Body"));
                    if (name == "CreateInstance")
                    {
                        CreateInstanceShapes.Apply(document, operation);
                    }
                }

                return Task.CompletedTask;
            });
        });

    public static IEndpointRouteBuilder MapProvisionerOpenApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapOpenApi(DocumentPath.Replace("v1", "{documentName}", StringComparison.Ordinal));
        // The page and its script come from this API alone: no web fonts or telemetry from elsewhere, which a
        // browser behind a firewall could not load and an operator did not agree to.
        endpoints.MapScalarApiReference(ReferencePath, scalar => scalar
            .WithTitle("Provisioner API")
            .WithOpenApiRoutePattern("/openapi/{documentName}.json")
            .DisableDefaultFonts()
            .DisableTelemetry());
        return endpoints;
    }

    private static void DescribeDocument(OpenApiDocument document)
    {
        document.Info.Title = "Provisioner API";
        document.Info.Description =
            "Rent GPU machines across clouds. Send a key as 'Authorization: Bearer prov_…' or 'X-Api-Key: prov_…'. " +
            "Every refusal is an RFC 9457 problem (application/problem+json) with a stable 'code', and 'field' when a field is at fault. " +
            "A .NET client (Provisioner.Client) and the 'provisioner' command line are built from the same operations.";
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "An API key (prov_…) as a bearer token.",
        };
        document.Components.SecuritySchemes[ApiKeyScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Header,
            Name = ApiKeyAuthentication.HeaderName,
            Description = "The same API key in the X-Api-Key header.",
        };
    }

    /// <summary>Either scheme will do: two requirements, each naming one.</summary>
    private static void DeclareSecurity(OpenApiDocument document, OpenApiOperation operation, bool admin)
    {
        operation.Security =
        [
            new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, document)] = [] },
            new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(ApiKeyScheme, document)] = [] },
        ];
        if (admin)
        {
            operation.Description = ((operation.Description ?? "") + " Needs an operator (admin) key; tenant keys are refused (403).").Trim();
        }
    }

    private static OpenApiOperation? Find(OpenApiDocument document, string operationId) =>
        document.Paths.Values.SelectMany(p => p.Operations?.Values ?? Enumerable.Empty<OpenApiOperation>())
            .FirstOrDefault(o => o.OperationId == operationId);
}

using System.Globalization;
using System.Net;
using System.Text;
using System.Xml.Linq;
using Microsoft.Extensions.Options;

namespace Provisioner.Core.Providers.Aws;

/// <summary>
/// The EC2 Query API (version 2016-11-15) over HttpClient: form-encoded POSTs, SigV4-signed, XML answers.
/// Errors become <see cref="CloudProviderException"/> through <see cref="Ec2ErrorClassifier"/>, so nothing
/// above this class sees HTTP or XML.
/// </summary>
internal sealed class Ec2QueryClient(IHttpClientFactory httpFactory, Ec2RequestSigner signer, IOptions<AwsOptions> options)
{
    public const string ApiVersion = "2016-11-15";
    public static readonly XNamespace Ns = "http://ec2.amazonaws.com/doc/2016-11-15/";
    private const string FormContentType = "application/x-www-form-urlencoded; charset=utf-8";

    public async Task<XElement> CallAsync(string region, string action, IEnumerable<KeyValuePair<string, string>> parameters, CancellationToken cancellationToken)
    {
        var form = new List<KeyValuePair<string, string>> { new("Action", action), new("Version", ApiVersion) };
        form.AddRange(parameters);
        // Percent-encoding with only -_.~ left as is: what SigV4 and EC2 expect of a form body.
        var body = Encoding.UTF8.GetBytes(string.Join('&', form.Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value)}")));
        var endpoint = options.Value.Endpoint ?? new Uri($"https://ec2.{region}.amazonaws.com/");

        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new ByteArrayContent(body) };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", FormContentType);
        foreach (var (name, value) in signer.Sign(endpoint, region, body, FormContentType))
        {
            if (!name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase) && !name.Equals("Host", StringComparison.OrdinalIgnoreCase))
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }
        }

        HttpResponseMessage response;
        try
        {
            response = await httpFactory.CreateClient(nameof(Ec2QueryClient)).SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException error)
        {
            throw new CloudProviderException(CloudErrorKind.Transient, Ec2ErrorClassifier.Backend, "ConnectionFailure", error.Message, inner: error);
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            XDocument document;
            try
            {
                document = XDocument.Parse(text);
            }
            catch (System.Xml.XmlException error)
            {
                throw new CloudProviderException(CloudErrorKind.Transient, Ec2ErrorClassifier.Backend, $"Http{(int)response.StatusCode}",
                    "EC2 answered with something that is not XML.", inner: error);
            }

            if (response.IsSuccessStatusCode)
            {
                return document.Root!;
            }

            var failure = document.Descendants("Error").FirstOrDefault();
            var retryAfter = response.Headers.RetryAfter?.Delta;
            throw Ec2ErrorClassifier.Classify(
                failure?.Element("Code")?.Value ?? $"Http{(int)response.StatusCode}",
                failure?.Element("Message")?.Value ?? response.ReasonPhrase ?? "no message",
                (int)response.StatusCode,
                retryAfter ?? (response.StatusCode == HttpStatusCode.ServiceUnavailable ? TimeSpan.FromSeconds(1) : null));
        }
    }

    public static string? Text(XElement element, string name) => element.Element(Ns + name)?.Value is { Length: > 0 } value ? value : null;

    public static DateTimeOffset Time(XElement element, string name) =>
        DateTimeOffset.Parse(Text(element, name) ?? throw new FormatException($"EC2 answer without {name}"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
}

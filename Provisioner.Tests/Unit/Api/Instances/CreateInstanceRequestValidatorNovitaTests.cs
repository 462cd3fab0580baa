using System.Text.Json;
using FluentValidation.Results;
using Provisioner.Api.Instances;
using Provisioner.Core.Catalog;

namespace Provisioner.Tests.Unit.Api.Instances;

/// <summary>The NovitaAI service's request shape: its own errors, each on its field with a stable code, and no mixing.</summary>
public sealed class CreateInstanceRequestValidatorNovitaTests
{
    private readonly CreateInstanceRequestValidator _sut = new(InstanceTypeCatalog.LoadEmbedded(), new Provisioner.Tests.Fakes.FixedCloudCapabilities());

    private static CreateInstanceRequest Novita(
        string? name = "fine-tune-1", string? product = "RTX 4090 24GB", string? templateId = "1001", int? gpuNum = 1, int? rootfs = 60, string? region = null) =>
        new(null, null, null, null, Name: name, ProductName: product,
            TemplateId: templateId is null ? null : JsonDocument.Parse(templateId).RootElement.Clone(), GpuNum: gpuNum, RootfsSize: rootfs, Region: region);

    [Theory]
    [InlineData("1001", 1, 10, null)]
    [InlineData("\"7\"", 8, 1000, "US-TX-02")]
    public void Validate_NovitaShape_Passes(string templateId, int gpuNum, int rootfs, string? region) =>
        _sut.Validate(Novita(templateId: templateId, gpuNum: gpuNum, rootfs: rootfs, region: region)).Errors.Should().BeEmpty();

    [Theory]
    [InlineData("", "RTX 4090 24GB", "1", 1, 60, "name", "required")]
    [InlineData("n", "Voodoo 3", "1", 1, 60, "productName", "product_not_found")]
    [InlineData("n", "RTX 4090 24GB", "0", 1, 60, "templateId", "invalid_template_id")]
    [InlineData("n", "RTX 4090 24GB", "\"abc\"", 1, 60, "templateId", "invalid_template_id")]
    [InlineData("n", "RTX 4090 24GB", "1", 0, 60, "gpuNum", "gpu_num_out_of_range")]
    [InlineData("n", "RTX 4090 24GB", "1", 9, 60, "gpuNum", "gpu_num_out_of_range")]
    [InlineData("n", "RTX 4090 24GB", "1", 1, 9, "rootfsSize", "rootfs_size_out_of_range")]
    [InlineData("n", "RTX 4090 24GB", "1", 1, 1001, "rootfsSize", "rootfs_size_out_of_range")]
    public void Validate_NovitaErrors_NameFieldAndCode(string name, string product, string templateId, int gpuNum, int rootfs, string field, string code)
    {
        var result = _sut.Validate(Novita(name, product, templateId, gpuNum, rootfs));

        result.Errors.Should().ContainSingle().Which.Should().Match<ValidationFailure>(e => e.PropertyName == field && e.ErrorCode == code);
    }

    [Fact]
    public void Validate_RegionTheProductIsNotSoldIn_IsRefused() =>
        _sut.Validate(Novita(product: "L40S 48GB", region: "US-TX-02")).Errors.Should().ContainSingle()
            .Which.ErrorCode.Should().Be("region_not_offered");

    [Fact]
    public void Validate_BodyMixingBothShapes_IsOneProblem_NeverAGuess()
    {
        var mixed = Novita() with { UserId = "user-1", Config = new InstanceConfigRequest("NOVITA", "RTX 4090 24GB", "US-CA-06", 60, 60, null) };

        var error = _sut.Validate(mixed).Errors.Should().ContainSingle().Subject;

        error.ErrorCode.Should().Be("mixed_request_shapes");
        error.ErrorMessage.Should().Contain("userId").And.Contain("productName");
    }
}

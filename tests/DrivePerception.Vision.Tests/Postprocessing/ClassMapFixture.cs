using OpenCvSharp;

namespace DrivePerception.Vision.Tests.Postprocessing;

/// <summary>A drawn semantic model output: class map and confidence at model size, drawn with OpenCV.</summary>
public sealed class ClassMapFixture : IDisposable
{
    public const int Road = 3, Car = 8, Pedestrian = 9, Bicyclist = 10;

    public ClassMapFixture(int width, int height, int background = Road, int backgroundConfidence = 250)
    {
        Classes = new Mat(height, width, MatType.CV_8UC1, new Scalar(background));
        Confidence = new Mat(height, width, MatType.CV_8UC1, new Scalar(backgroundConfidence));
    }

    public Mat Classes { get; }
    public Mat Confidence { get; }
    public int Width => Classes.Width;
    public int Height => Classes.Height;
    public byte[] ClassBytes => Classes.AsSpan<byte>().ToArray();
    public byte[] ConfidenceBytes => Confidence.AsSpan<byte>().ToArray();

    public void Box(int classId, Rect rect, int confidence = 204)
    {
        Classes.Rectangle(rect, new Scalar(classId), -1);
        Confidence.Rectangle(rect, new Scalar(confidence), -1);
    }

    public void Disc(int classId, Point centre, int radius, int confidence = 204)
    {
        Classes.Circle(centre, radius, new Scalar(classId), -1, LineTypes.Link8);
        Confidence.Circle(centre, radius, new Scalar(confidence), -1, LineTypes.Link8);
    }

    public void Dispose()
    {
        Classes.Dispose();
        Confidence.Dispose();
    }
}

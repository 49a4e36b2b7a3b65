using OpenCvSharp;

namespace DrivePerception.Vision.Calibration;

/// <summary>A 3x3 double matrix, row-major, for the small fixed-size algebra of camera geometry.</summary>
internal readonly struct Matrix3
{
    private readonly double _m00, _m01, _m02, _m10, _m11, _m12, _m20, _m21, _m22;

    public Matrix3(double m00, double m01, double m02, double m10, double m11, double m12, double m20, double m21, double m22)
    {
        (_m00, _m01, _m02) = (m00, m01, m02);
        (_m10, _m11, _m12) = (m10, m11, m12);
        (_m20, _m21, _m22) = (m20, m21, m22);
    }

    public static Matrix3 Identity => new(1, 0, 0, 0, 1, 0, 0, 0, 1);

    /// <summary>Right-handed rotation about x by <paramref name="radians"/>.</summary>
    public static Matrix3 RotationX(double radians)
    {
        double c = Math.Cos(radians), s = Math.Sin(radians);
        return new(1, 0, 0, 0, c, -s, 0, s, c);
    }

    /// <summary>Right-handed rotation about y by <paramref name="radians"/>.</summary>
    public static Matrix3 RotationY(double radians)
    {
        double c = Math.Cos(radians), s = Math.Sin(radians);
        return new(c, 0, s, 0, 1, 0, -s, 0, c);
    }

    /// <summary>Right-handed rotation about z by <paramref name="radians"/>.</summary>
    public static Matrix3 RotationZ(double radians)
    {
        double c = Math.Cos(radians), s = Math.Sin(radians);
        return new(c, -s, 0, s, c, 0, 0, 0, 1);
    }

    /// <summary>A matrix whose columns are the three vectors.</summary>
    public static Matrix3 FromColumns(Point3d c0, Point3d c1, Point3d c2) =>
        new(c0.X, c1.X, c2.X, c0.Y, c1.Y, c2.Y, c0.Z, c1.Z, c2.Z);

    public double this[int row, int col] => (row * 3 + col) switch
    {
        0 => _m00, 1 => _m01, 2 => _m02,
        3 => _m10, 4 => _m11, 5 => _m12,
        6 => _m20, 7 => _m21, 8 => _m22,
        _ => throw new ArgumentOutOfRangeException(nameof(row)),
    };

    public Matrix3 Transposed() => new(_m00, _m10, _m20, _m01, _m11, _m21, _m02, _m12, _m22);

    public Point3d Transform(Point3d p) => new(
        _m00 * p.X + _m01 * p.Y + _m02 * p.Z,
        _m10 * p.X + _m11 * p.Y + _m12 * p.Z,
        _m20 * p.X + _m21 * p.Y + _m22 * p.Z);

    public static Matrix3 operator *(Matrix3 a, Matrix3 b) => new(
        a._m00 * b._m00 + a._m01 * b._m10 + a._m02 * b._m20,
        a._m00 * b._m01 + a._m01 * b._m11 + a._m02 * b._m21,
        a._m00 * b._m02 + a._m01 * b._m12 + a._m02 * b._m22,
        a._m10 * b._m00 + a._m11 * b._m10 + a._m12 * b._m20,
        a._m10 * b._m01 + a._m11 * b._m11 + a._m12 * b._m21,
        a._m10 * b._m02 + a._m11 * b._m12 + a._m12 * b._m22,
        a._m20 * b._m00 + a._m21 * b._m10 + a._m22 * b._m20,
        a._m20 * b._m01 + a._m21 * b._m11 + a._m22 * b._m21,
        a._m20 * b._m02 + a._m21 * b._m12 + a._m22 * b._m22);

    public double Determinant() =>
        _m00 * (_m11 * _m22 - _m12 * _m21) - _m01 * (_m10 * _m22 - _m12 * _m20) + _m02 * (_m10 * _m21 - _m11 * _m20);

    /// <summary>The inverse; throws when the matrix is singular (a degenerate camera pose).</summary>
    public Matrix3 Inverted()
    {
        double det = Determinant();
        if (Math.Abs(det) < 1e-12)
            throw new InvalidOperationException("The matrix is singular: the camera pose makes the ground plane degenerate.");
        double inv = 1.0 / det;
        return new(
            (_m11 * _m22 - _m12 * _m21) * inv, (_m02 * _m21 - _m01 * _m22) * inv, (_m01 * _m12 - _m02 * _m11) * inv,
            (_m12 * _m20 - _m10 * _m22) * inv, (_m00 * _m22 - _m02 * _m20) * inv, (_m02 * _m10 - _m00 * _m12) * inv,
            (_m10 * _m21 - _m11 * _m20) * inv, (_m01 * _m20 - _m00 * _m21) * inv, (_m00 * _m11 - _m01 * _m10) * inv);
    }

    public double[,] ToArray() => new[,] { { _m00, _m01, _m02 }, { _m10, _m11, _m12 }, { _m20, _m21, _m22 } };
}

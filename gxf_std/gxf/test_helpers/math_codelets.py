"""Codelets that publish computed tensors: Generator (integers and Fibonacci numbers), IntegerSinSum and
ArbitraryPrecisionFactorial."""

from __future__ import annotations

import math

from gxf.core import Handle, Parameter
from gxf.std.allocator import Allocator
from gxf.std.codelet import Codelet
from gxf.std.memory_storage import MemoryStorageType
from gxf.std.primitive_type import PrimitiveType
from gxf.std.queue import Transmitter

from .checks import CheckFailed
from .fixed_types import INT32, UINT64
from .tensor_support import create_tensor_map, describe

_HOST = MemoryStorageType.kHost


class Generator(Codelet, type_name="nvidia::gxf::test::Generator",
                uuid="ebe83f93-3e8e-4c09-8c12-4ab7390ac565"):
    """Publishes fixed integer tensors on one output and the first Fibonacci numbers on another.

    Each tick publishes on ``integers`` a message with int32 tensors ``positive`` (0..23) and
    ``negative`` (0..-23), both of shape [2, 3, 4], and on ``fibonacci`` a message with a float32 tensor
    ``fibonacci`` holding the first eight Fibonacci numbers (0, 1, 1, 2, 3, 5, 8, 13). Host memory comes
    from ``pool``.
    """

    integers = Parameter(Handle(Transmitter), description="Where the integer tensors go")
    fibonacci = Parameter(Handle(Transmitter), description="Where the Fibonacci tensor goes")
    pool = Parameter(Handle(Allocator), description="Where the tensors' memory comes from")

    def tick(self) -> None:
        import numpy

        message = create_tensor_map(self.context, self.pool, [
            describe("positive", _HOST, [2, 3, 4], PrimitiveType.kInt32),
            describe("negative", _HOST, [2, 3, 4], PrimitiveType.kInt32)])
        numpy.asarray(message.find("positive"))[...] = numpy.arange(24, dtype=numpy.int32).reshape(2, 3, 4)
        numpy.asarray(message.find("negative"))[...] = -numpy.arange(24, dtype=numpy.int32).reshape(2, 3, 4)
        self.integers.publish(message)
        message = create_tensor_map(self.context, self.pool, [
            describe("fibonacci", _HOST, [8], PrimitiveType.kFloat32)])
        numbers = [0.0, 1.0]
        while len(numbers) < 8:
            numbers.append(numbers[-1] + numbers[-2])
        numpy.asarray(message.find("fibonacci"))[...] = numbers
        self.fibonacci.publish(message)


class IntegerSinSum(Codelet, type_name="nvidia::gxf::test::IntegerSinSum",
                    uuid="2ed6049c-c6ad-4d89-8e28-078be6776adf"):
    """Publishes a one-element tensor holding sin(0) + sin(1) + ... up to a given count.

    Each tick publishes on ``result`` a message with a float32 tensor ``sum`` of shape [1] holding
    sin(0) + sin(1) + ... + sin(count - 1). Host memory comes from ``pool``.
    """

    count = Parameter(UINT64, description="How many sines to add")
    result = Parameter(Handle(Transmitter), description="Where the sum goes")
    pool = Parameter(Handle(Allocator), description="Where the tensor's memory comes from")

    def tick(self) -> None:
        import numpy

        total = 0.0
        for i in range(self.count):
            total += math.sin(i)
        message = create_tensor_map(self.context, self.pool,
                                    [describe("sum", _HOST, [1], PrimitiveType.kFloat32)])
        numpy.asarray(message.find("sum"))[0] = total
        self.result.publish(message)


def factorial_digits(factorial: int, digits: int) -> list[int]:
    """The decimal digits of ``factorial``!, least significant first, padded with zeros to ``digits``.

    Raises CheckFailed when the number has more than ``digits`` digits.
    """
    digit = [1] + [0] * (digits - 1)
    last = 1
    for n in range(1, factorial + 1):
        carry = 0
        for i in range(last):
            value = digit[i] * n + carry
            digit[i] = value % 10
            carry = value // 10
        while carry:
            if last >= digits:
                raise CheckFailed(f"{factorial}! has more than {digits} digits")
            digit[last] = carry % 10
            carry //= 10
            last += 1
    return digit


class ArbitraryPrecisionFactorial(Codelet, type_name="nvidia::gxf::test::ArbitraryPrecisionFactorial",
                                  uuid="2ca901d0-0d38-4a06-951e-dc0d655ac5a6"):
    """Publishes the exact decimal digits of a factorial as a tensor.

    Each tick publishes on ``result`` a message with a uint8 tensor ``factorial`` of shape [digits]:
    the decimal digits of ``factorial``!, least significant first, padded with zeros. A factorial with
    more than ``digits`` digits fails the run. Host memory comes from ``pool``.
    """

    digits = Parameter(INT32, description="Length of the digit tensor")
    factorial = Parameter(UINT64, description="The number whose factorial is computed")
    result = Parameter(Handle(Transmitter), description="Where the digits go")
    pool = Parameter(Handle(Allocator), description="Where the tensor's memory comes from")

    def initialize(self) -> None:
        if self.digits < 1:
            raise ValueError(f"digits must be at least 1, got {self.digits}")

    def tick(self) -> None:
        import numpy

        digits = factorial_digits(self.factorial, self.digits)
        message = create_tensor_map(self.context, self.pool,
                                    [describe("factorial", _HOST, [self.digits], PrimitiveType.kUnsigned8)])
        numpy.asarray(message.find("factorial"))[...] = digits
        self.result.publish(message)

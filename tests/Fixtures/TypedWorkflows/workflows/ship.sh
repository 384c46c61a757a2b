#!/bin/sh
echo shipping

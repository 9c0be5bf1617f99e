# Third-party libraries, all from Debian bookworm packages (scripts/setup.sh installs them). On a
# CUDA host the same calls find PyTorch's LibTorch and unpacked .debs through CMAKE_PREFIX_PATH.
find_package(Threads REQUIRED)
find_package(OpenSSL 3 REQUIRED COMPONENTS Crypto)

# Debian's config packages for RocksDB and Snappy hard-code /usr, so locate the files directly;
# find_path/find_library honour CMAKE_PREFIX_PATH on a host without Debian's package manager.
find_path(SECP256K1_INCLUDE_DIR secp256k1_recovery.h REQUIRED)
find_library(SECP256K1_LIBRARY secp256k1 REQUIRED)
add_library(mfd_ext_secp256k1 INTERFACE IMPORTED)
target_include_directories(mfd_ext_secp256k1 SYSTEM INTERFACE ${SECP256K1_INCLUDE_DIR})
target_link_libraries(mfd_ext_secp256k1 INTERFACE ${SECP256K1_LIBRARY})

find_path(ROCKSDB_INCLUDE_DIR rocksdb/db.h REQUIRED)
find_library(ROCKSDB_LIBRARY NAMES rocksdb REQUIRED)
add_library(mfd_ext_rocksdb INTERFACE IMPORTED)
target_include_directories(mfd_ext_rocksdb SYSTEM INTERFACE ${ROCKSDB_INCLUDE_DIR})
target_link_libraries(mfd_ext_rocksdb INTERFACE ${ROCKSDB_LIBRARY} Threads::Threads)

find_package(nlohmann_json 3.10 REQUIRED)
find_package(fmt REQUIRED)
find_package(spdlog REQUIRED)
find_package(CLI11 REQUIRED)
find_package(Boost 1.74 REQUIRED)
find_package(ZLIB REQUIRED)

if(MFD_WITH_TORCH)
    find_package(Torch REQUIRED)
    # Torch's imported target carries -D_GLIBCXX_USE_CXX11_ABI; keep its headers as SYSTEM.
    add_library(mfd_ext_torch INTERFACE IMPORTED)
    target_link_libraries(mfd_ext_torch INTERFACE ${TORCH_LIBRARIES})
    find_path(XGBOOST_INCLUDE_DIR xgboost/c_api.h REQUIRED)
    find_library(XGBOOST_LIBRARY xgboost REQUIRED)
    add_library(mfd_ext_xgboost INTERFACE IMPORTED)
    target_include_directories(mfd_ext_xgboost SYSTEM INTERFACE ${XGBOOST_INCLUDE_DIR})
    target_link_libraries(mfd_ext_xgboost INTERFACE ${XGBOOST_LIBRARY})
endif()

if(MFD_BUILD_TESTS)
    find_package(GTest REQUIRED)
    include(GoogleTest)
endif()
if(MFD_BUILD_BENCH)
    find_package(benchmark REQUIRED)
endif()
